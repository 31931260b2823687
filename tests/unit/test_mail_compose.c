#include "testutil.h"

#include "mail_compose.h"

#include <gmime/gmime.h>
#include <locale.h>

#define T0 1795000000 /* 2026-11-18T11:06:40Z */

/* Parses a rendered message back with GMime, the way a recipient's client would. */
static GMimeMessage *parse(const char *raw)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(raw, strlen(raw));
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	assert_non_null(m);
	return m;
}

/* Decoded text of the first text/plain part, line ends as LF. Caller g_free()s. */
static char *body_text(GMimeMessage *m)
{
	GMimeObject *b = g_mime_message_get_body(m);
	assert_non_null(b);
	assert_true(GMIME_IS_TEXT_PART(b));
	char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(b));
	char *w = t;
	for (char *r = t; *r; r++)
		if (*r != '\r')
			*w++ = *r;
	*w = '\0';
	return t;
}

/* The raw (unfolded) header block, up to the blank line. */
static char *header_block(const char *raw)
{
	const char *e = strstr(raw, "\r\n\r\n");
	assert_non_null(e);
	return strndup(raw, (size_t)(e - raw) + 2);
}

static void assert_crlf_7bit(const char *raw)
{
	for (const char *p = raw; *p; p++) {
		assert_true((unsigned char)*p < 0x80);
		if (*p == '\n')
			assert_true(p > raw && p[-1] == '\r');
		if (*p == '\r')
			assert_int_equal(p[1], '\n');
	}
}

static void test_addr_valid(void **state)
{
	(void)state;
	assert_true(mail_addr_valid("wang.li@example.cn"));
	assert_true(mail_addr_valid("a+tag@mail.example-corp.com"));
	assert_false(mail_addr_valid("no-at.example.cn"));
	assert_false(mail_addr_valid("two@@example.cn"));
	assert_false(mail_addr_valid("a@b@example.cn"));
	assert_false(mail_addr_valid("a@localhost"));
	assert_false(mail_addr_valid("a b@example.cn"));
	assert_false(mail_addr_valid("a@example.cn\r\nBcc: evil@x.cn"));
	assert_false(mail_addr_valid("Wang <a@example.cn>"));
	assert_false(mail_addr_valid("a@example..cn"));
	assert_false(mail_addr_valid(".a@example.cn"));
	assert_false(mail_addr_valid("a@-example.cn"));
	assert_false(mail_addr_valid("a,b@example.cn"));
	assert_false(mail_addr_valid("王@example.cn"));
	assert_false(mail_addr_valid(""));
	assert_false(mail_addr_valid(NULL));
}

static void test_addr_split(void **state)
{
	(void)state;
	char *n, *a;
	assert_int_equal(mail_addr_split("\"Li, Wang\" <wang.li@example.cn>", &n, &a, NULL), WB_OK);
	assert_string_equal(n, "Li, Wang");
	assert_string_equal(a, "wang.li@example.cn");
	free(n);
	free(a);
	assert_int_equal(mail_addr_split("  ops@example.cn ", &n, &a, NULL), WB_OK);
	assert_null(n);
	assert_string_equal(a, "ops@example.cn");
	free(a);
	struct wb_err err = {0};
	assert_int_equal(mail_addr_split("Bad <not an address>", &n, &a, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "not an address"));
	assert_null(n);
	assert_null(a);
}

static void test_headers_and_chinese(void **state)
{
	(void)state;
	const char *to[] = {"王丽 <wang.li@example.cn>", "ops@example.cn"};
	const char *cc[] = {"\"Zhang, San\" <zhang@example.cn>"};
	const char *refs[] = {"root.1@example.cn", "<mid.2@example.cn>"};
	const char *body = "您好，\n\n软件维保方案已更新。\r\nLine with = sign.\n";
	struct mail_out m = {
		.from_name = "维保支持", .from_addr = "support@weibao.example.cn",
		.to = to, .n_to = 2, .cc = cc, .n_cc = 1,
		.subject = "Re: 软件维保方案 [#42]",
		.body = body, .signature = "维保团队\n电话 010-1234",
		.msgid_domain = "weibao.example.cn",
		.in_reply_to = "mid.2@example.cn",
		.references = refs, .n_references = 2,
		.date = T0,
	};
	char *raw, *id;
	struct wb_err err = {0};
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_OK);
	assert_crlf_7bit(raw);
	char *h = header_block(raw);
	/* the ticket tag stays readable in the raw header, the Chinese words are encoded */
	assert_non_null(strstr(h, "Subject: Re: =?"));
	assert_non_null(strstr(h, "?= [#42]\r\n"));
	assert_non_null(strstr(h, "Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n"));
	assert_non_null(strstr(h, "In-Reply-To: <mid.2@example.cn>\r\n"));
	assert_non_null(strstr(h, "References: <root.1@example.cn> <mid.2@example.cn>\r\n"));
	assert_non_null(strstr(h, "MIME-Version: 1.0\r\n"));
	assert_null(strstr(h, "Bcc"));
	/* Message-ID is unique-looking and on our domain */
	assert_non_null(strstr(id, "@weibao.example.cn"));
	char *want = NULL;
	assert_true(asprintf(&want, "Message-Id: <%s>\r\n", id) > 0);
	assert_non_null(strstr(h, want));
	free(want);

	GMimeMessage *msg = parse(raw);
	assert_string_equal(g_mime_message_get_subject(msg), "Re: 软件维保方案 [#42]");
	InternetAddressList *tl = g_mime_message_get_to(msg);
	assert_int_equal(internet_address_list_length(tl), 2);
	InternetAddress *a0 = internet_address_list_get_address(tl, 0);
	assert_string_equal(internet_address_get_name(a0), "王丽");
	assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a0)), "wang.li@example.cn");
	InternetAddressList *cl = g_mime_message_get_cc(msg);
	assert_int_equal(internet_address_list_length(cl), 1);
	assert_string_equal(internet_address_get_name(internet_address_list_get_address(cl, 0)), "Zhang, San");
	InternetAddressList *fl = g_mime_message_get_from(msg);
	assert_string_equal(internet_address_get_name(internet_address_list_get_address(fl, 0)), "维保支持");
	assert_string_equal(g_mime_message_get_message_id(msg), id);

	char *text = body_text(msg);
	/* decoded body: LF-normalised text, then "-- " and the signature */
	const char *expect = "您好，\n\n软件维保方案已更新。\nLine with = sign.\n-- \n维保团队\n电话 010-1234\n";
	assert_string_equal(text, expect);
	g_free(text);
	g_object_unref(msg);
	free(h);
	free(raw);
	free(id);
}

static void test_encoding_choice(void **state)
{
	(void)state;
	struct mail_out m = {
		.from_addr = "support@weibao.example.cn", .subject = "plain",
		.msgid_domain = "weibao.example.cn", .date = T0,
	};
	char *raw, *id;
	/* plain ASCII -> 7bit, untouched */
	m.body = "Hello,\nthe patch is ready.\n";
	assert_int_equal(mail_compose(&m, &raw, &id, NULL), WB_OK);
	assert_non_null(strstr(raw, "Content-Transfer-Encoding: 7bit\r\n"));
	assert_non_null(strstr(raw, "\r\n\r\nHello,\r\nthe patch is ready.\r\n"));
	free(raw);
	free(id);
	/* mostly English with one accented word -> quoted-printable is smaller */
	m.body = "The release notes for version 2.4 are attached; thanks to José for testing.\n"
		 "Please schedule the upgrade window with the operations team this week.\n";
	assert_int_equal(mail_compose(&m, &raw, &id, NULL), WB_OK);
	assert_crlf_7bit(raw);
	assert_non_null(strstr(raw, "Content-Transfer-Encoding: quoted-printable\r\n"));
	GMimeMessage *msg = parse(raw);
	char *t = body_text(msg);
	assert_string_equal(t, m.body);
	g_free(t);
	g_object_unref(msg);
	free(raw);
	free(id);
	/* mostly Chinese -> base64 is smaller */
	m.body = "软件维保方案已经更新，请在本周内安排升级窗口，谢谢。\n";
	assert_int_equal(mail_compose(&m, &raw, &id, NULL), WB_OK);
	assert_crlf_7bit(raw);
	assert_non_null(strstr(raw, "Content-Transfer-Encoding: base64\r\n"));
	free(raw);
	free(id);
}

static void test_header_injection(void **state)
{
	(void)state;
	const char *to[] = {"ops@example.cn"};
	struct mail_out m = {
		.from_name = "Support\r\nBcc: evil@x.example", .from_addr = "support@weibao.example.cn",
		.to = to, .n_to = 1,
		.subject = "x\r\nBcc: evil@x", .body = "hi\n",
		.msgid_domain = "weibao.example.cn", .date = T0,
	};
	char *raw, *id;
	assert_int_equal(mail_compose(&m, &raw, &id, NULL), WB_OK);
	char *h = header_block(raw);
	/* no header line may start with Bcc: the CR/LF were flattened into the value */
	assert_null(strstr(h, "\r\nBcc:"));
	assert_int_not_equal(strncmp(h, "Bcc:", 4), 0);
	GMimeMessage *msg = parse(raw);
	assert_null(g_mime_object_get_header(GMIME_OBJECT(msg), "Bcc"));
	assert_non_null(strstr(g_mime_message_get_subject(msg), "Bcc: evil@x"));
	g_object_unref(msg);
	free(h);
	free(raw);
	free(id);

	/* ids, addresses and the domain with CR/LF are refused, naming the value */
	struct wb_err err = {0};
	m.in_reply_to = "x\r\nBcc: evil@x";
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "In-Reply-To"));
	assert_null(raw);
	m.in_reply_to = NULL;
	const char *refs[] = {"ok@x.cn", "bad\nBcc: evil@x"};
	m.references = refs;
	m.n_references = 2;
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
	m.n_references = 0;
	/* a display name with CR/LF in a To entry is flattened too */
	const char *nameto[] = {"Ops\r\nBcc: evil@x.cn <ops@example.cn>"};
	m.to = nameto;
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_OK);
	h = header_block(raw);
	assert_null(strstr(h, "\r\nBcc:"));
	msg = parse(raw);
	assert_null(g_mime_object_get_header(GMIME_OBJECT(msg), "Bcc"));
	assert_int_equal(internet_address_list_length(g_mime_message_get_to(msg)), 1);
	g_object_unref(msg);
	free(h);
	free(raw);
	free(id);
	const char *badto[] = {"ops@example.cn\r\nBcc: evil@x.cn"};
	m.to = badto;
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "not a usable e-mail address"));
	m.to = to;
	m.message_id = "id@x\r\nBcc: evil@x";
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
	m.message_id = NULL;
	m.msgid_domain = "x.cn\r\nBcc: evil@x";
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
	m.msgid_domain = "weibao.example.cn";
	m.from_addr = "evil@x.cn\r\nBcc: a@b.cn";
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
	/* invalid UTF-8 is refused rather than sent garbled */
	m.from_addr = "support@weibao.example.cn";
	m.subject = "\xff\xfe";
	assert_int_equal(mail_compose(&m, &raw, &id, &err), WB_EINVAL);
}

static void test_unique_ids_and_given_id(void **state)
{
	(void)state;
	struct mail_out m = {
		.from_addr = "support@weibao.example.cn", .subject = "s", .body = "b",
		.msgid_domain = "weibao.example.cn", .date = T0,
	};
	char *raw1, *id1, *raw2, *id2;
	assert_int_equal(mail_compose(&m, &raw1, &id1, NULL), WB_OK);
	assert_int_equal(mail_compose(&m, &raw2, &id2, NULL), WB_OK);
	assert_string_not_equal(id1, id2);
	free(raw1);
	free(raw2);
	free(id2);
	/* a stored id (the outbox re-rendering a message) is kept as is */
	m.message_id = id1;
	assert_int_equal(mail_compose(&m, &raw2, &id2, NULL), WB_OK);
	assert_string_equal(id1, id2);
	free(raw2);
	free(id2);
	free(id1);
}

static void test_attachment(void **state)
{
	(void)state;
	unsigned char data[300];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7);
	struct mail_out_attachment att[] = {
		{"维保报告.pdf", "application/pdf", data, sizeof data},
	};
	struct mail_out m = {
		.from_addr = "support@weibao.example.cn", .subject = "report", .body = "see attached\n",
		.msgid_domain = "weibao.example.cn", .date = T0, .att = att, .n_att = 1,
	};
	char *raw, *id;
	assert_int_equal(mail_compose(&m, &raw, &id, NULL), WB_OK);
	assert_crlf_7bit(raw);
	assert_non_null(strstr(raw, "Content-Type: multipart/mixed"));
	GMimeMessage *msg = parse(raw);
	GMimeObject *top = g_mime_message_get_mime_part(msg);
	assert_true(GMIME_IS_MULTIPART(top));
	assert_int_equal(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2);
	GMimePart *p = GMIME_PART(g_mime_multipart_get_part(GMIME_MULTIPART(top), 1));
	assert_string_equal(g_mime_part_get_filename(p), "维保报告.pdf");
	GMimeStream *out = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(p), out);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	assert_int_equal(ba->len, sizeof data);
	assert_memory_equal(ba->data, data, sizeof data);
	g_object_unref(out);
	g_object_unref(msg);
	free(raw);
	free(id);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	g_mime_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_valid),
		cmocka_unit_test(test_addr_split),
		cmocka_unit_test(test_headers_and_chinese),
		cmocka_unit_test(test_encoding_choice),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_unique_ids_and_given_id),
		cmocka_unit_test(test_attachment),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	g_mime_shutdown();
	return rc;
}
