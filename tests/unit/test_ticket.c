/* The workflow table, names and validation, and contact matching rules. */
#include "testutil.h"

#include "contact.h"
#include "ticket.h"

static void test_transition_table(void **state)
{
	(void)state;
	/* the path a bug takes from report to release */
	assert_true(ticket_transition_allowed(STATUS_NEW, STATUS_TRIAGED));
	assert_true(ticket_transition_allowed(STATUS_TRIAGED, STATUS_IN_PROGRESS));
	assert_true(ticket_transition_allowed(STATUS_IN_PROGRESS, STATUS_WAITING));
	assert_true(ticket_transition_allowed(STATUS_WAITING, STATUS_IN_PROGRESS));
	assert_true(ticket_transition_allowed(STATUS_IN_PROGRESS, STATUS_IN_REVIEW));
	assert_true(ticket_transition_allowed(STATUS_IN_REVIEW, STATUS_TESTING));
	assert_true(ticket_transition_allowed(STATUS_TESTING, STATUS_RESOLVED));
	assert_true(ticket_transition_allowed(STATUS_RESOLVED, STATUS_CLOSED));
	assert_true(ticket_transition_allowed(STATUS_RESOLVED, STATUS_REOPENED));
	assert_true(ticket_transition_allowed(STATUS_CLOSED, STATUS_REOPENED));
	/* shortcuts that must not exist */
	assert_false(ticket_transition_allowed(STATUS_NEW, STATUS_RESOLVED));
	assert_false(ticket_transition_allowed(STATUS_CLOSED, STATUS_IN_PROGRESS));
	assert_false(ticket_transition_allowed(STATUS_IN_REVIEW, STATUS_RESOLVED));
	assert_false(ticket_transition_allowed(STATUS_WAITING, STATUS_CLOSED));
	/* every status can be left somehow, and nothing goes back to new */
	for (int s = 0; s < STATUS_COUNT; s++) {
		enum ticket_status next[STATUS_COUNT];
		assert_true(ticket_transitions((enum ticket_status)s, next) > 0);
		assert_false(ticket_transition_allowed((enum ticket_status)s, STATUS_NEW));
	}
}

static void test_refusal_names_allowed(void **state)
{
	(void)state;
	struct wb_err err = { 0 };
	assert_int_equal(ticket_transition_check(STATUS_CLOSED, STATUS_RESOLVED, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "closed"));
	assert_non_null(strstr(err.msg, "allowed: reopened"));
	assert_int_equal(ticket_transition_check(STATUS_NEW, STATUS_TRIAGED, &err), WB_OK);
}

static void test_names_round_trip(void **state)
{
	(void)state;
	struct wb_err err = { 0 };
	for (int s = 0; s < STATUS_COUNT; s++) {
		enum ticket_status out;
		assert_int_equal(ticket_status_parse(ticket_status_name((enum ticket_status)s), &out, &err), 0);
		assert_int_equal(out, s);
	}
	enum ticket_status st;
	assert_int_equal(ticket_status_parse("in-progress", &st, &err), 0);
	assert_int_equal(st, STATUS_IN_PROGRESS);
	assert_int_equal(ticket_status_parse("finished", &st, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "'finished'"));
	int p;
	assert_int_equal(ticket_priority_parse("P1", &p, &err), 0);
	assert_int_equal(p, 1);
	assert_int_equal(ticket_priority_parse("low", &p, &err), 0);
	assert_int_equal(p, 4);
	assert_int_equal(ticket_priority_parse("P5", &p, &err), WB_EINVAL);
	enum ticket_kind k;
	assert_int_equal(ticket_kind_parse("Security", &k, &err), 0);
	assert_int_equal(k, KIND_SECURITY);
}

static void test_subject_and_body(void **state)
{
	(void)state;
	struct wb_err err = { 0 };
	assert_int_equal(ticket_subject_check("软件维保方案", &err), 0);
	assert_int_equal(ticket_subject_check("   ", &err), WB_EINVAL);
	assert_int_equal(ticket_subject_check("a\nBcc: x", &err), WB_EINVAL);
	assert_int_equal(ticket_subject_check("bad \xff byte", &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "UTF-8"));
	char *big = malloc(TICKET_BODY_MAX + 2);
	memset(big, 'a', TICKET_BODY_MAX + 1);
	big[TICKET_BODY_MAX + 1] = '\0';
	assert_int_equal(ticket_body_check(big, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "too large"));
	free(big);
}

static void test_phone_normalise(void **state)
{
	(void)state;
	struct wb_err err = { 0 };
	const char *same[] = { "+86 138-0013-8000", "8613800138000", "138 0013 8000", "0086 138 0013 8000" };
	for (size_t i = 0; i < 4; i++) {
		char *out;
		assert_int_equal(contact_phone_normalise(same[i], "86", &out, &err), 0);
		assert_string_equal(out, "8613800138000");
		free(out);
	}
	char *out;
	/* a Beijing landline with its trunk prefix */
	assert_int_equal(contact_phone_normalise("010-6512 3456", "86", &out, &err), 0);
	assert_string_equal(out, "861065123456");
	free(out);
	assert_int_equal(contact_phone_normalise("+49 30 1234567", "86", &out, &err), 0);
	assert_string_equal(out, "49301234567");
	free(out);
	assert_int_equal(contact_phone_normalise("call me", "86", &out, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "call me"));
}

static void test_email_normalise(void **state)
{
	(void)state;
	struct wb_err err = { 0 };
	char *out;
	assert_int_equal(contact_email_normalise("Zhang.Wei@Huaxin-Bank.CN", &out, &err), 0);
	assert_string_equal(out, "zhang.wei@huaxin-bank.cn");
	free(out);
	const char *bad[] = { "no-at-sign", "a@", "a@b.", "two@@x.cn", "sp ace@x.cn", "x@.cn", "<x@y.cn>", "a@b.cn\r\nBcc: c@d.cn" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(contact_email_normalise(bad[i], &out, &err), WB_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_refusal_names_allowed),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_subject_and_body),
		cmocka_unit_test(test_phone_normalise),
		cmocka_unit_test(test_email_normalise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
