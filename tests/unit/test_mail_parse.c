#include "testutil.h"

#include "mail_charset.h"
#include "mail_html.h"
#include "mail_parse.h"
#include "mail_quote.h"
#include "utf8.h"

#include <locale.h>

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, len = 0;
	char *b = malloc(cap);
	size_t r;
	while ((r = fread(b + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap)
			b = realloc(b, cap *= 2);
	}
	fclose(f);
	*n = len;
	return b;
}

static bool ok_str(const char *s)
{
	return !s || utf8_valid(s, strlen(s));
}

static bool one_line(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
	return true;
}

/* Every string valid UTF-8; header values on one line. */
static bool all_valid(const struct mail_in *m)
{
	bool ok = ok_str(m->message_id) && ok_str(m->in_reply_to) && ok_str(m->subject) && ok_str(m->from_name)
		  && ok_str(m->from_addr) && ok_str(m->text) && ok_str(m->text_visible) && ok_str(m->text_quoted)
		  && ok_str(m->auto_reason) && one_line(m->subject) && one_line(m->from_name);
	for (size_t i = 0; i < m->n_references; i++)
		ok = ok && ok_str(m->references[i]) && one_line(m->references[i]);
	for (size_t i = 0; i < m->n_to; i++)
		ok = ok && ok_str(m->to[i]);
	for (size_t i = 0; i < m->n_att; i++)
		ok = ok && ok_str(m->att[i].filename) && one_line(m->att[i].filename) && ok_str(m->att[i].content_type);
	return ok;
}

static struct mail_in *parse_str(const char *raw)
{
	struct mail_in *m = NULL;
	struct wb_err err = { 0 };
	int rc = mail_parse(raw, strlen(raw), &m, &err);
	if (rc != WB_OK)
		fprintf(stderr, "mail_parse: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	assert_true(all_valid(m));
	return m;
}

/* ---- the real-world corpus ---- */

static char *field(char **line)
{
	char *s = *line;
	if (!s)
		return NULL;
	char *t = strchr(s, '\t');
	if (t) {
		*t = 0;
		*line = t + 1;
	} else {
		*line = NULL;
	}
	return s;
}

static void test_corpus(void **state)
{
	(void)state;
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/../shared/mail-corpus", test_root());
	char manifest[1100];
	snprintf(manifest, sizeof manifest, "%s/MANIFEST.tsv", dir);
	size_t n;
	char *tsv = slurp(manifest, &n);
	if (!tsv) {
		fprintf(stderr, "mail corpus not found at %s: skipped\n", dir);
		skip();
	}
	tsv = realloc(tsv, n + 1);
	tsv[n] = 0;
	int rows = 0, failures = 0;
	char *save = NULL;
	for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "file\t", 5) == 0 || !*line)
			continue;
		char *rest = line;
		char *file = field(&rest);
		field(&rest); /* source */
		field(&rest); /* features */
		char *subject = field(&rest);
		char *snippet = field(&rest);
		char *natt = field(&rest);
		char *action = field(&rest);
		assert_non_null(action);
		rows++;
		char path[2200];
		snprintf(path, sizeof path, "%s/%s", dir, file);
		size_t len;
		char *raw = slurp(path, &len);
		assert_non_null(raw);
		struct mail_in *m = NULL;
		struct wb_err err = { 0 };
		int rc = mail_parse(raw, len, &m, &err);
		free(raw);
		bool quarantine = rc == WB_EINVAL || (m && !m->from_addr);
		char why[600] = "";
		if (rc != WB_OK && rc != WB_EINVAL)
			snprintf(why, sizeof why, "rc %d", rc);
		else if (quarantine != (strcmp(action, "quarantine") == 0))
			snprintf(why, sizeof why, "action %s but quarantine=%d (%s)", action, quarantine, err.msg);
		else if (m && !all_valid(m))
			snprintf(why, sizeof why, "invalid UTF-8 or multi-line header");
		else if (m && strcmp(subject, "-") == 0 ? *m->subject != 0 : m && strcmp(m->subject, subject) != 0)
			snprintf(why, sizeof why, "subject [%s] want [%s]", m->subject, subject);
		else if (m && strcmp(snippet, "-") != 0 && !strstr(m->text, snippet))
			snprintf(why, sizeof why, "text lacks [%s]: [%.200s]", snippet, m->text);
		else if (m && (long)m->n_att != atol(natt))
			snprintf(why, sizeof why, "%zu attachments, want %s", m->n_att, natt);
		else if (m && !quarantine && m->is_auto != (strcmp(action, "ignore-autoreply") == 0))
			snprintf(why, sizeof why, "is_auto=%d (%s), want %s", m->is_auto,
				 m->auto_reason ? m->auto_reason : "-", action);
		if (*why) {
			fprintf(stderr, "corpus %s: %s\n", file, why);
			failures++;
		}
		mail_in_free(&m);
	}
	free(tsv);
	fprintf(stderr, "corpus: %d messages, %d failed\n", rows, failures);
	assert_true(rows >= 40);
	assert_int_equal(failures, 0);
}

/* Parses one corpus file, or returns NULL when the corpus is absent. */
static struct mail_in *corpus_file(const char *name)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/../shared/mail-corpus/%s", test_root(), name);
	size_t len;
	char *raw = slurp(path, &len);
	if (!raw)
		return NULL;
	struct mail_in *m = NULL;
	struct wb_err err = { 0 };
	assert_int_equal(mail_parse(raw, len, &m, &err), WB_OK);
	free(raw);
	return m;
}

static void test_corpus_details(void **state)
{
	(void)state;
	struct mail_in *m = corpus_file("erofslist-gb2312-outlook-dafu-alternative.eml");
	if (!m)
		skip();
	assert_string_equal(m->text_visible, "好的，非常感谢");
	assert_non_null(strstr(m->text_quoted, "\n发件人: Gao Xiang"));
	assert_string_equal(m->from_addr, "sunshijie@xiaomi.com"); /* "孙士杰 via Linux-erofs" */
	assert_string_equal(m->via_list, "linux-erofs@lists.ozlabs.org");
	assert_true(m->is_bulk);
	mail_in_free(&m);

	m = corpus_file("erofslist-gb18030-fullwidth-reply-references-only.eml");
	assert_non_null(strstr(m->text_visible, "好的,我尝试一下您提供的测试方法"));
	assert_null(strstr(m->text_visible, "原始邮件"));
	assert_non_null(strstr(m->text_quoted, "原始邮件"));
	assert_null(m->in_reply_to);
	assert_int_equal(m->n_references, 3);
	mail_in_free(&m);

	m = corpus_file("erofslist-utf8-zh-quoted-reply.eml"); /* bottom-posted */
	assert_non_null(strstr(m->text_visible, "Thanks for your interest."));
	assert_null(strstr(m->text_visible, "> "));
	assert_true(strncmp(m->text_quoted, "On 2024/4/6 10:03, 孟祥宇 via Linux-erofs wrote:", 20) == 0);
	mail_in_free(&m);

	m = corpus_file("aspeedlist-big5-outlook-alternative.eml");
	assert_null(strstr(m->text_visible, "寄件者"));
	assert_non_null(strstr(m->text_quoted, "寄件者: Ender Hsieh"));
	mail_in_free(&m);

	m = corpus_file("erofslist-gb2312-related-inline-image.eml");
	assert_int_equal(m->n_att, 1);
	assert_string_equal(m->att[0].filename, "pastedImage.png");
	assert_string_equal(m->att[0].content_type, "image/png");
	assert_true(m->att[0].is_inline);
	assert_non_null(m->att[0].content_id);
	assert_memory_equal(m->att[0].data, "\x89PNG", 4);
	mail_in_free(&m);

	m = corpus_file("erofslist-aliyun-bounce-zh-not-report.eml");
	assert_true(m->is_bounce);
	assert_string_equal(m->att[0].filename, "无主题.eml");
	mail_in_free(&m);

	m = corpus_file("mikel-attachment-nonascii-filename.eml");
	assert_string_equal(m->att[0].filename, "ciële.txt");
	assert_null(strstr(m->text, "ciële"));
	mail_in_free(&m);

	m = corpus_file("kopano-raw-big5-headers-html.eml");
	assert_string_equal(m->from_name, "養樂多");
	assert_true(m->text_from_html);
	mail_in_free(&m);

	m = corpus_file("rt-iso-8859-1-8bit-plain-reply.eml");
	assert_string_equal(m->from_name, "Wilhelmsen Håvard");
	mail_in_free(&m);

	m = corpus_file("erofslist-utf8-multibyte-split-across-encoded-words.eml");
	assert_null(strchr(m->text, '<')); /* HTML tags in a text/plain part */
	mail_in_free(&m);
}

/* ---- synthetic messages for single features ---- */

static void test_headers_and_ids(void **state)
{
	(void)state;
	struct mail_in *m = parse_str(
		"From: =?UTF-8?B?5byg5LiJ?= <Zhang.San@Example.COM>\r\n"
		"To: a@example.com, \"B, the second\" <b@example.com>, undisclosed:;\r\n"
		"Cc: (comment) c@example.com\r\n"
		"Subject: =?gb2312?B?u9i4tA==?=: =?utf-8?q?=E8=BD=AF=E4=BB=B6?=\r\n =?utf-8?q?=E7=BB=B4=E4=BF=9D?=\r\n"
		"Message-ID: <abc@x>\r\n"
		"In-Reply-To: <p1@x> <p2@x>\r\n"
		"References: <r1@x>\r\n <r2@x> <r1@x>\r\n"
		"Date: Wed, 25 Nov 2026 13:31:00 +0800\r\n"
		"\r\n"
		"hello\r\n");
	assert_string_equal(m->from_name, "张三");
	assert_string_equal(m->from_addr, "Zhang.San@example.com");
	assert_int_equal(m->n_to, 2);
	assert_string_equal(m->to[1], "b@example.com");
	assert_int_equal(m->n_cc, 1);
	assert_string_equal(m->cc[0], "c@example.com");
	assert_string_equal(m->subject, "回复: 软件维保");
	assert_string_equal(m->message_id, "abc@x");
	assert_string_equal(m->in_reply_to, "p1@x");
	assert_int_equal(m->n_references, 2);
	assert_string_equal(m->references[1], "r2@x");
	assert_int_equal(m->date, 1795584660); /* 2026-11-25T05:31:00Z */
	assert_string_equal(m->text, "hello\n");
	assert_false(m->is_auto);
	mail_in_free(&m);
	assert_null(m);
}

static void test_odd_addresses(void **state)
{
	(void)state;
	/* found by the fuzzer: a second <...> after the first one */
	struct mail_in *m = parse_str("From: x <r@d> junk <c@y>\nTo: <a@b> <c@d>, \"q,uoted\" <e@f>\n"
				      "Cc: group: g1@x, g2@x;, bad@, @bad, no-at\n\nb\n");
	assert_non_null(m->from_addr);
	assert_int_equal(m->n_to, 2);
	assert_string_equal(m->to[1], "e@f");
	assert_int_equal(m->n_cc, 2);
	assert_string_equal(m->cc[0], "g1@x");
	mail_in_free(&m);
	/* DMARC-rewritten list mail: the person is in Reply-To */
	m = parse_str("From: =?utf-8?b?5a2f56Wl5a6HIHZpYSBMaW51eC1lcm9mcw==?= <linux-erofs@lists.ozlabs.org>\n"
		      "Reply-To: =?gb18030?B?w8/P6dPu?= <1156140554@qq.com>\nSubject: x\n\nb\n");
	assert_string_equal(m->from_addr, "1156140554@qq.com");
	assert_string_equal(m->from_name, "孟祥宇");
	assert_string_equal(m->via_list, "linux-erofs@lists.ozlabs.org");
	mail_in_free(&m);
	/* only Content-* fields: still a message, but nobody to answer */
	m = parse_str("Content-Type: text/plain; charset=utf-8\n\nbody\n");
	assert_null(m->from_addr);
	assert_string_equal(m->text, "body\n");
	mail_in_free(&m);
}

static void test_header_injection_stays_one_line(void **state)
{
	(void)state;
	/* an encoded CR LF must not survive into the decoded subject */
	struct mail_in *m = parse_str("From: a@b.c\nSubject: =?utf-8?q?x=0D=0ABcc:_evil@x?=\n\nbody\n");
	assert_null(strchr(m->subject, '\n'));
	assert_null(strchr(m->subject, '\r'));
	assert_string_equal(m->subject, "x Bcc: evil@x");
	mail_in_free(&m);
}

static void test_charsets(void **state)
{
	(void)state;
	/* "测试" in GBK labelled gb2312, Big5 "測試", KOI8-R, ISO-2022-JP, a mislabelled UTF-8 body */
	char *s = mail_charset_to_utf8("\xb2\xe2\xca\xd4", 4, "gb2312");
	assert_string_equal(s, "测试");
	free(s);
	s = mail_charset_to_utf8("\x95\x72", 2, "GB2312"); /* GBK-only pair: 昞 */
	assert_true(utf8_valid(s, strlen(s)));
	assert_null(strstr(s, "\xEF\xBF\xBD"));
	free(s);
	s = mail_charset_to_utf8("\xb4\xfa\xb8\xd5", 4, "big5");
	assert_string_equal(s, "測試");
	free(s);
	s = mail_charset_to_utf8("\xd4\xc5\xd3\xd4", 4, "koi8-r");
	assert_string_equal(s, "тест");
	free(s);
	s = mail_charset_to_utf8("\x1b$BF|K\\\x1b(B", 10, "iso-2022-jp");
	assert_string_equal(s, "日本");
	free(s);
	s = mail_charset_to_utf8("软件", strlen("软件"), "gb2312"); /* the label lies */
	assert_string_equal(s, "软件");
	free(s);
	s = mail_charset_to_utf8("维保 caf\xc3\xa9", strlen("维保 café"), "big5");
	assert_string_equal(s, "维保 café");
	free(s);
	s = mail_charset_to_utf8("caf\xe9", 4, "iso-8859-1");
	assert_string_equal(s, "café");
	free(s);
	s = mail_charset_to_utf8("\x93quoted\x94", 8, "windows-1252");
	assert_string_equal(s, "\u201cquoted\u201d");
	free(s);
	static const char *const labelled[][3] = {
		{ "windows-1251", "\xf2\xe5\xf1\xf2", "тест" },
		{ "ISO-8859-2", "\xbf\xf3\xb3\x77", "żółw" },
		{ "ks_c_5601-1987", "\xc7\xd1\xb1\xb9", "한국" },
		{ "Shift_JIS", "\x93\xfa\x96\x7b\x8c\xea", "日本語" },
		{ "iso-8859-15", "\xa4\x75\x72\x6f", "€uro" },
		{ "\"eucgb2312_cn\"", "\xce\xac\xb1\xa3", "维保" },
		{ "x-no-such-charset", "\xce\xac\xb1\xa3", "维保" },
	};
	for (size_t i = 0; i < sizeof labelled / sizeof labelled[0]; i++) {
		s = mail_charset_to_utf8(labelled[i][1], strlen(labelled[i][1]), labelled[i][0]);
		assert_string_equal(s, labelled[i][2]);
		free(s);
	}
	/* unlabelled: UTF-8, else GB18030, else windows-1252 */
	s = mail_charset_to_utf8("维保", strlen("维保"), NULL);
	assert_string_equal(s, "维保");
	free(s);
	s = mail_charset_to_utf8("\xce\xac\xb1\xa3", 4, NULL);
	assert_string_equal(s, "维保");
	free(s);
	s = mail_charset_to_utf8("na\xefve \x80", 7, NULL);
	assert_string_equal(s, "naïve €");
	free(s);
	s = mail_charset_to_utf8("\xff\xfe\x00\x81", 4, "utf-8");
	assert_true(utf8_valid(s, strlen(s)));
	free(s);
}

static void test_encoded_words(void **state)
{
	(void)state;
	/* 知 = E7 9F A5 split across two words */
	const char *h = " =?UTF-8?B?5ZGK558=?=\r\n =?UTF-8?B?pQ==?= x";
	char *s = mail_charset_decode_header(h, strlen(h), NULL);
	assert_string_equal(s, "告知 x");
	free(s);
	h = "=?utf-8?Q?te?=\n =?utf-8?Q?st?=";
	s = mail_charset_decode_header(h, strlen(h), NULL);
	assert_string_equal(s, "test");
	free(s);
	h = "=?gb18030?B?suLK1A===?=";
	s = mail_charset_decode_header(h, strlen(h), NULL);
	assert_string_equal(s, "测试");
	free(s);
	h = "Re: =?utf-8?q?a?= b =?broken";
	s = mail_charset_decode_header(h, strlen(h), NULL);
	assert_string_equal(s, "Re: a b =?broken");
	free(s);
	h = "Re: =?utf-8?B?5rWL6K+V"; /* truncated before "?=" */
	s = mail_charset_decode_header(h, strlen(h), NULL);
	assert_string_equal(s, "Re: 测试");
	free(s);
	h = "=?utf-8?Q?caf=C3=A9 au lait?= =?unknown-x?B?T0s=?=";
	s = mail_charset_decode_header(h, strlen(h), NULL);
	assert_string_equal(s, "café au laitOK");
	free(s);
	/* raw 8-bit Big5 header read with the body's charset as hint */
	h = "\xbe\x69\xbc\xd6\xa6\x68";
	s = mail_charset_decode_header(h, strlen(h), "big5");
	assert_string_equal(s, "養樂多");
	free(s);
}

static void test_html_to_text(void **state)
{
	(void)state;
	const char *h = "<html><head><title>t</title><style>p{color:red}</style></head><body>"
			"<p>Hello&nbsp;&amp; welcome &#x4F60;&#22909;</p><script>alert(1)</script>"
			"<div>See <a href=\"https://example.com/kb\">the guide</a> now</div>"
			"line<br>break<ul><li>one</li><li>two</li></ul>"
			"<blockquote>old text</blockquote>&lt;tag&gt;</body></html>";
	char *t = mail_html_to_text(h, strlen(h));
	assert_string_equal(t, "Hello & welcome 你好\nSee the guide <https://example.com/kb> now\nline\nbreak\n"
			       "- one\n- two\n> old text\n<tag>");
	free(t);
	static const char *const cases[][2] = {
		{ "Mail <a href=\"mailto:desk@x.cn\">desk@x.cn</a>.", "Mail desk@x.cn." },
		{ "<a href='https://x.cn/a?b=1&amp;c=2'>https://x.cn/a?b=1&amp;c=2</a>", "https://x.cn/a?b=1&c=2" },
		{ "<table><tr><td>型号</td><td>X410</td></tr><tr><td>数量</td><td>2</td></tr></table>", "型号 X410\n数量 2" },
		{ "<pre>a  b\n  c</pre>", "a  b\n  c" },
		{ "&#0;&#xD800;&#150;&copy&unknown;", "\xEF\xBF\xBD\xEF\xBF\xBD\u2013&copy&unknown;" },
		{ "<!-- hidden --><p>x<!--[if mso]>no<![endif]--></p><SCRIPT>y</SCRIPT>", "x" },
		{ "a < b and <b>c</b>", "a < b and c" },
		{ "<div>unterminated <a href=\"http://x", "unterminated" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = mail_html_to_text(cases[i][0], strlen(cases[i][0]));
		assert_string_equal(t, cases[i][1]);
		free(t);
	}
	struct mail_in *m = parse_str("From: a@b.c\nContent-Type: text/html; charset=gbk\n"
				      "Content-Transfer-Encoding: 8bit\n\n<p>\xce\xac\xb1\xa3</p>\n");
	assert_true(m->text_from_html);
	assert_string_equal(m->text, "维保");
	mail_in_free(&m);
}

static void check_split(const char *text, const char *visible, const char *quoted_start)
{
	char *v, *q;
	mail_quote_split(text, &v, &q);
	assert_string_equal(v, visible);
	if (quoted_start)
		assert_true(strncmp(q, quoted_start, strlen(quoted_start)) == 0);
	else
		assert_string_equal(q, "");
	free(v);
	free(q);
}

static void test_quote_folding(void **state)
{
	(void)state;
	check_split("好的，谢谢\n\n在 2026年11月24日 10:03，张三 <z@x> 写道：\n> 请帮忙\n", "好的，谢谢", "在 2026");
	check_split("Fixed.\n\nOn Mon, 23 Nov 2026, Li Si <l@x> wrote:\n> broken\n", "Fixed.", "On Mon");
	check_split("Fixed.\n\nOn Mon, 23 Nov 2026 at 10:00, Li Si <l@x>\nwrote:\n> broken\n", "Fixed.", "On Mon");
	check_split("收到\n\n________________________________\n发件人: 张三 <z@x>\n发送时间: 2026年11月24日 10:03\n"
		    "收件人: desk@x\n主题: 维保\n\n原文\n",
		    "收到", "______");
	check_split("OK\n\n-----Original Message-----\nFrom: a\nSent: b\n", "OK", "-----Original");
	check_split("第一行\n第二行\n\n\n\n__________\n\n\n寄件者: a\n寄件日期: b\n收件者: c\n主旨: d\n", "第一行\n第二行", "__________");
	check_split("OK\nFrom: Zhang San <z@x>\nSent: Tuesday\nTo: desk@x\nSubject: help\n\nold\n", "OK", "From: Zhang");
	check_split("好的\n\n------------------ 原始邮件 ------------------\n发件人: x\n", "好的", "-------");
	/* bottom posting: the answer below the quote stays visible */
	check_split("On 2019/7/18, ZHOU wrote:\n> question?\n\nanswer\n", "answer", "On 2019");
	check_split("no quote here\n", "no quote here", NULL);
}

static void test_subject_tag(void **state)
{
	(void)state;
	int64_t id = 0;
	assert_int_equal(mail_subject_tag("回复：[#42] 软件维保方案", "#", &id), WB_OK);
	assert_int_equal(id, 42);
	assert_int_equal(mail_subject_tag("Re: printer [Desk #1234567]", "Desk #", &id), WB_OK);
	assert_int_equal(id, 1234567);
	assert_int_equal(mail_subject_tag("Re: [desk #7]", "Desk #", &id), WB_OK);
	assert_int_equal(id, 7);
	assert_int_equal(mail_subject_tag("【#9】维保", "#", &id), WB_OK);
	assert_int_equal(id, 9);
	assert_int_equal(mail_subject_tag("issue #42 [#x]", "#", &id), WB_ENOTFOUND);
	assert_int_equal(mail_subject_tag("[#99999999999999999999]", "#", &id), WB_ENOTFOUND);
	assert_int_equal(mail_subject_tag("[Other #5]", "Desk #", &id), WB_ENOTFOUND);
}

static void test_subject_clean(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "回复：[#42] 软件维保方案", "软件维保方案" },
		{ "Re: RE: Fwd: 打印机故障 [#7]", "打印机故障" },
		{ "AW: WG: SV: VS: Drucker", "Drucker" },
		{ "回覆: 答复: 转发： 维保", "维保" },
		{ "Re[2]: Re: [#3] Re: status", "status" },
		{ "Reply needed", "Reply needed" },
		{ "Fw：  hello   world ", "hello world" },
		{ "答复: [External Mail]Re: [PATCH] erofs-utils: fix", "[PATCH] erofs-utils: fix" },
		{ "[USRP-users] Re: 答复: rfnoc error", "[USRP-users] rfnoc error" },
		{ "[USRP-users] [#5] Re: rfnoc", "[USRP-users] rfnoc" },
		{ "[PATCH] Re-enable the clock", "[PATCH] Re-enable the clock" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = mail_subject_clean(cases[i][0], "#");
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	char *s = mail_subject_clean("Re: [#42] x", NULL);
	assert_string_equal(s, "[#42] x");
	free(s);
}

static void test_rating(void **state)
{
	(void)state;
	int r = 0;
	assert_int_equal(mail_parse_rating("5", &r), WB_OK);
	assert_int_equal(r, 5);
	assert_int_equal(mail_parse_rating("\n  ４\n\n谢谢", &r), WB_OK);
	assert_int_equal(r, 4);
	assert_int_equal(mail_parse_rating("5分", &r), WB_OK);
	assert_int_equal(r, 5);
	assert_int_equal(mail_parse_rating("3 分。\n", &r), WB_OK);
	assert_int_equal(r, 3);
	assert_int_equal(mail_parse_rating("２分", &r), WB_OK);
	assert_int_equal(r, 2);
	assert_int_equal(mail_parse_rating("6", &r), WB_ENOTFOUND);
	assert_int_equal(mail_parse_rating("0", &r), WB_ENOTFOUND);
	assert_int_equal(mail_parse_rating("55", &r), WB_ENOTFOUND);
	assert_int_equal(mail_parse_rating("5 servers are down", &r), WB_ENOTFOUND);
	assert_int_equal(mail_parse_rating("", &r), WB_ENOTFOUND);
}

static void test_auto_detection(void **state)
{
	(void)state;
	struct mail_in *m = parse_str("From: a@b.c\nAuto-Submitted: auto-replied\nSubject: x\n\nbody\n");
	assert_true(m->is_auto);
	assert_string_equal(m->auto_reason, "Auto-Submitted: auto-replied");
	mail_in_free(&m);
	m = parse_str("From: a@b.c\nAuto-Submitted: no\nSubject: x\n\nbody\n");
	assert_false(m->is_auto);
	mail_in_free(&m);
	m = parse_str("From: a@b.c\nPrecedence: bulk\nSubject: x\n\nbody\n");
	assert_false(m->is_auto);
	assert_true(m->is_bulk);
	mail_in_free(&m);
	m = parse_str("From: a@b.c\nPrecedence: auto_reply\nSubject: x\n\nbody\n");
	assert_true(m->is_auto);
	mail_in_free(&m);
	m = parse_str("From: a@b.c\nX-Autorespond: yes\nSubject: x\n\nbody\n");
	assert_true(m->is_auto);
	mail_in_free(&m);
	m = parse_str("From: MAILER-DAEMON@mx.example.com\nSubject: Undelivered Mail Returned to Sender\n\nbody\n");
	assert_true(m->is_auto);
	assert_true(m->is_bounce);
	mail_in_free(&m);
	m = parse_str("From: postmaster@qq.com\nSubject: =?utf-8?b?6YCA5L+h?=\n\nbody\n"); /* 退信 */
	assert_true(m->is_bounce);
	mail_in_free(&m);
	m = parse_str("From: user@qq.com\nSubject: =?utf-8?b?6Ieq5Yqo5Zue5aSNOiDkvaDlpb0=?=\n\nbody\n"); /* 自动回复: 你好 */
	assert_true(m->is_auto);
	mail_in_free(&m);
	m = parse_str("From: user@x.cn\nSubject: Automatic reply not working in our mailbox\n\nhelp\n");
	assert_false(m->is_auto);
	mail_in_free(&m);
	m = parse_str("From: user@x.cn\nSubject: Out of Office AutoReply: report\n\naway\n");
	assert_true(m->is_auto);
	mail_in_free(&m);
}

static void test_attachments(void **state)
{
	(void)state;
	struct mail_in *m = parse_str(
		"From: a@b.c\nSubject: files\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		"--XX\nContent-Type: text/plain; charset=utf-8\n\n正文\n"
		"--XX\nContent-Type: application/pdf\nContent-Disposition: attachment;\n"
		" filename*0*=UTF-8''%E7%BB%B4%E4%BF%9D;\n filename*1=.pdf\nContent-Transfer-Encoding: base64\n\n"
		"JVBERi0=\n"
		"--XX\nContent-Type: image/png; name=\"=?gbk?B?zbzGrA==?=.png\"\nContent-ID: <img1@x>\n"
		"Content-Transfer-Encoding: base64\n\niVBORw==\n"
		"--XX--\n");
	assert_int_equal(m->n_att, 2);
	assert_string_equal(m->att[0].filename, "维保.pdf");
	assert_string_equal(m->att[0].content_type, "application/pdf");
	assert_int_equal(m->att[0].size, 5);
	assert_memory_equal(m->att[0].data, "%PDF-", 5);
	assert_false(m->att[0].is_inline);
	assert_string_equal(m->att[1].filename, "图片.png");
	assert_string_equal(m->att[1].content_id, "img1@x");
	assert_true(m->att[1].is_inline);
	assert_int_equal(m->att[1].size, 4);
	assert_string_equal(m->text, "正文");
	mail_in_free(&m);
	/* a text file sent "inline" with a name (Apple Mail) is a file, not body text */
	m = parse_str("From: a@b.c\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nhi\n"
		      "--B\nContent-Type: text/plain; name=log.txt\nContent-Disposition: inline; filename=log.txt\n\n"
		      "ERROR 42\n--B--\n");
	assert_int_equal(m->n_att, 1);
	assert_string_equal(m->att[0].filename, "log.txt");
	assert_null(strstr(m->text, "ERROR 42"));
	mail_in_free(&m);
}

static void test_not_a_message(void **state)
{
	(void)state;
	struct mail_in *m = NULL;
	struct wb_err err = { 0 };
	assert_int_equal(mail_parse("", 0, &m, &err), WB_EINVAL);
	assert_null(m);
	assert_true(err.msg[0] != 0);
	int rc = mail_parse("\x00\x01\x02garbage", 10, &m, &err);
	if (rc == WB_OK) {
		assert_null(m->from_addr); /* at least quarantined */
		mail_in_free(&m);
	} else {
		assert_int_equal(rc, WB_EINVAL);
	}
	m = parse_str("\r\n\nFrom: a@b.c\nSubject: after blank lines\n\nbody\n");
	assert_string_equal(m->subject, "after blank lines");
	mail_in_free(&m);
	m = parse_str("From sender@x Mon Jan  1 00:00:00 2024\nFrom: a@b.c\nSubject: mbox\n\nbody\n");
	assert_string_equal(m->from_addr, "a@b.c");
	assert_string_equal(m->subject, "mbox");
	mail_in_free(&m);
	m = parse_str("Subject: no sender\n\nbody\n");
	assert_null(m->from_addr);
	mail_in_free(&m);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_and_ids),
		cmocka_unit_test(test_odd_addresses),
		cmocka_unit_test(test_header_injection_stays_one_line),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_quote_folding),
		cmocka_unit_test(test_subject_tag),
		cmocka_unit_test(test_subject_clean),
		cmocka_unit_test(test_rating),
		cmocka_unit_test(test_auto_detection),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_not_a_message),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_details),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
