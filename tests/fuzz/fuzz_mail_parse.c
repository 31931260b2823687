/* libFuzzer target: mail_parse never crashes, never leaks, and every string it returns is valid UTF-8
 * (header values on one line). The subject helpers get the decoded subject and text too. */
#include "mail_parse.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, int one_line)
{
	if (!s)
		return;
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		abort();
	if (one_line)
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_in *m = NULL;
	struct wb_err err = { 0 };
	int rc = mail_parse((const char *)data, size, &m, &err);
	if (rc != WB_OK) {
		if (rc != WB_EINVAL || m || !err.msg[0])
			abort();
		return 0;
	}
	check(m->message_id, 1);
	check(m->in_reply_to, 1);
	for (size_t i = 0; i < m->n_references; i++)
		check(m->references[i], 1);
	check(m->subject, 1);
	check(m->from_name, 1);
	check(m->from_addr, 1);
	check(m->reply_to, 1);
	check(m->via_list, 1);
	for (size_t i = 0; i < m->n_to; i++)
		check(m->to[i], 1);
	for (size_t i = 0; i < m->n_cc; i++)
		check(m->cc[i], 1);
	check(m->text, 0);
	check(m->text_visible, 0);
	check(m->text_quoted, 0);
	check(m->auto_reason, 1);
	check(m->bulk_reason, 1);
	if (!m->subject || !m->text || !m->text_visible || !m->text_quoted || !m->from_name)
		abort();
	for (size_t i = 0; i < m->n_att; i++) {
		check(m->att[i].filename, 1);
		check(m->att[i].content_type, 1);
		check(m->att[i].content_id, 1);
		if (m->att[i].size && !m->att[i].data)
			abort();
	}
	char *clean = mail_subject_clean(m->subject, "#");
	check(clean, 1);
	free(clean);
	int64_t id;
	mail_subject_tag(m->subject, "Desk #", &id);
	int rating;
	if (mail_parse_rating(m->text_visible, &rating) == WB_OK && (rating < 1 || rating > 5))
		abort();
	mail_in_free(&m);
	return 0;
}
