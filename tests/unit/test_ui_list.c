#include "testutil.h"

#include "ui_list.h"

/* An in-memory source of ids 1..n in ascending order, made on the fly (nothing is stored), with
 * optional gaps (deleted ids) and a fault switch; it counts what the list asks for. */
struct fake {
	int64_t n;
	int64_t gap_lo, gap_hi; /* ids in [gap_lo, gap_hi] do not exist */
	int fail;               /* next fetch fails with this code */
	int fetch_calls;
	int drawn;
};

struct row {
	int64_t id;
};

static bool exists(const struct fake *f, int64_t id)
{
	return id >= 1 && id <= f->n && !(id >= f->gap_lo && id <= f->gap_hi);
}

static int fake_fetch(void *ctx, const void *anchor, int dir, int n, void **rows, struct wb_err *err)
{
	struct fake *f = ctx;
	f->fetch_calls++;
	if (f->fail) {
		int code = f->fail;
		f->fail = 0;
		return wb_err_set(err, code, "database is locked");
	}
	int got = 0;
	if (dir > 0) {
		int64_t id = anchor ? ((const struct row *)anchor)->id + 1 : 1;
		for (; id <= f->n && got < n; id++)
			if (exists(f, id)) {
				struct row *r = malloc(sizeof *r);
				r->id = id;
				rows[got++] = r;
			}
	} else {
		int64_t id = anchor ? ((const struct row *)anchor)->id - 1 : f->n;
		int64_t tmp[4096];
		int k = 0;
		for (; id >= 1 && k < n; id--)
			if (exists(f, id))
				tmp[k++] = id;
		for (int i = k - 1; i >= 0; i--) {
			struct row *r = malloc(sizeof *r);
			r->id = tmp[i];
			rows[got++] = r;
		}
	}
	return got;
}

static int64_t fake_id(void *ctx, const void *row)
{
	(void)ctx;
	return ((const struct row *)row)->id;
}

static void fake_free(void *ctx, void *row)
{
	(void)ctx;
	free(row);
}

static void fake_draw(void *ctx, const void *row, int y, int x, int w, unsigned flags)
{
	(void)row; (void)y; (void)x; (void)w; (void)flags;
	((struct fake *)ctx)->drawn++;
}

static struct ui_list *make(struct fake *f, int height)
{
	struct ui_list_source src = { f, fake_fetch, fake_id, fake_free, fake_draw };
	struct ui_list *l = ui_list_new(&src);
	ui_list_place(l, 1, 0, height, 80);
	assert_int_equal(ui_list_load(l), WB_OK);
	return l;
}

static int64_t sel_id(struct ui_list *l)
{
	const struct row *r = ui_list_selected(l);
	return r ? r->id : -1;
}

static void test_million_rows_never_loaded(void **state)
{
	(void)state;
	struct fake f = { .n = 1000000 };
	struct ui_list *l = make(&f, 20);
	assert_int_equal(sel_id(l), 1);
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(ui_list_move(l, 1), WB_OK);
		assert_true(ui_list_held(l) <= 80); /* four screens of 20 */
	}
	assert_int_equal(sel_id(l), 5001);
	/* about one fetch per screen moved, not per key */
	assert_true(f.fetch_calls < 5000 / 20 + 5);
	assert_true(ui_list_rows_fetched(l) < 5000 + 100);

	uint64_t before = ui_list_rows_fetched(l);
	assert_int_equal(ui_list_last(l), WB_OK);
	assert_int_equal(sel_id(l), 1000000);
	assert_true(ui_list_held(l) <= 80); /* four screens of 20 */
	assert_true(ui_list_rows_fetched(l) - before <= 40);
	assert_int_equal(ui_list_move(l, -3), WB_OK);
	assert_int_equal(sel_id(l), 999997);
	for (int i = 0; i < 100; i++)
		assert_int_equal(ui_list_page(l, -1), WB_OK);
	assert_int_equal(sel_id(l), 999997 - 2000);
	assert_true(ui_list_held(l) <= 80); /* four screens of 20 */
	assert_int_equal(ui_list_first(l), WB_OK);
	assert_int_equal(sel_id(l), 1);
	assert_int_equal(ui_list_position(l), 0);
	assert_true(ui_list_rows_fetched(l) < 10000);
	ui_list_free(&l);
	assert_null(l);
}

static void test_paging_clamps_at_ends(void **state)
{
	(void)state;
	struct fake f = { .n = 25 };
	struct ui_list *l = make(&f, 10);
	assert_int_equal(ui_list_page(l, 1), WB_OK);
	assert_int_equal(sel_id(l), 11);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ui_list_page(l, 1), WB_OK);
	assert_int_equal(sel_id(l), 25);
	assert_int_equal(ui_list_move(l, 1), WB_OK);
	assert_int_equal(sel_id(l), 25);
	assert_int_equal(ui_list_page(l, -1), WB_OK);
	assert_int_equal(sel_id(l), 15);
	assert_int_equal(ui_list_move(l, -100), WB_OK);
	assert_int_equal(sel_id(l), 1);
	assert_int_equal(ui_list_last(l), WB_OK);
	assert_int_equal(sel_id(l), 25);
	/* the last screen is full: the first visible row is 16 */
	assert_true(ui_list_click(l, 1));
	assert_int_equal(sel_id(l), 16);
	assert_false(ui_list_click(l, 0));   /* above the list */
	assert_false(ui_list_click(l, 11));  /* below it */
	ui_list_free(&l);
}

static void test_empty_and_errors(void **state)
{
	(void)state;
	struct fake f = { .n = 0 };
	struct ui_list *l = make(&f, 10);
	assert_true(ui_list_empty(l));
	assert_null(ui_list_selected(l));
	assert_int_equal(ui_list_move(l, 1), WB_OK);
	assert_int_equal(ui_list_last(l), WB_OK);
	assert_false(ui_list_toggle_mark(l));
	ui_list_free(&l);

	struct fake g = { .n = 1000 };
	l = make(&g, 10);
	assert_int_equal(ui_list_move(l, 15), WB_OK);
	g.fail = WB_EBUSY;
	assert_int_equal(ui_list_move(l, 10), WB_EBUSY);
	assert_string_equal(ui_list_error(l), "database is locked");
	assert_true(sel_id(l) <= 26 && sel_id(l) >= 16);
	assert_int_equal(ui_list_move(l, 10), WB_OK);
	ui_list_free(&l);
}

static void test_reload_keeps_selection(void **state)
{
	(void)state;
	struct fake f = { .n = 100 };
	struct ui_list *l = make(&f, 10);
	assert_int_equal(ui_list_move(l, 40), WB_OK);
	assert_int_equal(sel_id(l), 41);
	/* rows before the selection disappear: the selection stays on 41 */
	f.gap_lo = 35;
	f.gap_hi = 38;
	assert_int_equal(ui_list_reload(l), WB_OK);
	assert_int_equal(sel_id(l), 41);
	/* the selected row itself disappears: the selection stays on the same screen row, a neighbour */
	f.gap_lo = 35;
	f.gap_hi = 41;
	assert_int_equal(ui_list_reload(l), WB_OK);
	assert_true(exists(&f, sel_id(l)));
	assert_true(sel_id(l) >= 42 && sel_id(l) <= 46);
	/* everything after 45 disappears while we look at it */
	assert_int_equal(ui_list_move(l, 3), WB_OK);
	f.n = 44;
	assert_int_equal(ui_list_reload(l), WB_OK);
	assert_int_equal(sel_id(l), 44);
	assert_int_equal(ui_list_move(l, 1), WB_OK);
	assert_int_equal(sel_id(l), 44);
	ui_list_free(&l);
}

/* Keys are ids counted down from the top, so new rows can arrive above the first one. */
struct desc_fake {
	int64_t top_id; /* ids top_id, top_id-1, ..., 1 */
};

static int desc_fetch(void *ctx, const void *anchor, int dir, int n, void **rows, struct wb_err *err)
{
	(void)err;
	struct desc_fake *f = ctx;
	int got = 0;
	if (dir > 0) {
		int64_t id = anchor ? ((const struct row *)anchor)->id - 1 : f->top_id;
		for (; id >= 1 && got < n; id--) {
			struct row *r = malloc(sizeof *r);
			r->id = id;
			rows[got++] = r;
		}
	} else {
		int64_t hi = anchor ? ((const struct row *)anchor)->id + 1 : 1;
		int64_t lo = anchor ? hi + n - 1 : n;
		if (lo > f->top_id)
			lo = f->top_id;
		for (int64_t id = lo; id >= hi; id--) {
			struct row *r = malloc(sizeof *r);
			r->id = id;
			rows[got++] = r;
		}
	}
	return got;
}

static void test_reload_at_top_shows_new_rows(void **state)
{
	(void)state;
	struct desc_fake f = { .top_id = 50 };
	struct ui_list_source src = { &f, desc_fetch, fake_id, fake_free, NULL };
	struct ui_list *l = ui_list_new(&src);
	ui_list_place(l, 1, 0, 10, 80);
	assert_int_equal(ui_list_load(l), WB_OK);
	assert_int_equal(ui_list_move(l, 2), WB_OK);
	assert_int_equal(sel_id(l), 48);
	/* two rows arrive above: the list still starts at the top, the selection stays on 48 */
	f.top_id = 52;
	assert_int_equal(ui_list_reload(l), WB_OK);
	assert_int_equal(sel_id(l), 48);
	assert_int_equal(ui_list_position(l), 4);
	assert_int_equal(ui_list_first(l), WB_OK);
	assert_int_equal(sel_id(l), 52);
	/* scrolled down, new rows above do not move what is on screen */
	assert_int_equal(ui_list_move(l, 20), WB_OK);
	int64_t before = sel_id(l);
	f.top_id = 55;
	assert_int_equal(ui_list_reload(l), WB_OK);
	assert_int_equal(sel_id(l), before);
	ui_list_free(&l);
}

static void test_marks_survive_paging(void **state)
{
	(void)state;
	struct fake f = { .n = 100000 };
	struct ui_list *l = make(&f, 10);
	assert_int_equal(ui_list_move(l, 2), WB_OK);
	assert_true(ui_list_toggle_mark(l));
	assert_int_equal(ui_list_move(l, 5), WB_OK);
	assert_true(ui_list_toggle_mark(l));
	assert_int_equal(ui_list_last(l), WB_OK);
	assert_true(ui_list_toggle_mark(l));
	assert_int_equal(ui_list_first(l), WB_OK);
	size_t n;
	const int64_t *m = ui_list_marks(l, &n);
	assert_int_equal(n, 3);
	assert_int_equal(m[0], 3);
	assert_int_equal(m[1], 8);
	assert_int_equal(m[2], 100000);
	assert_int_equal(ui_list_move(l, 2), WB_OK);
	assert_false(ui_list_toggle_mark(l)); /* unmarks 3 */
	m = ui_list_marks(l, &n);
	assert_int_equal(n, 2);
	ui_list_clear_marks(l);
	m = ui_list_marks(l, &n);
	assert_int_equal(n, 0);
	ui_list_free(&l);
}

static void test_draws_only_what_changed(void **state)
{
	(void)state;
	struct fake f = { .n = 1000 };
	struct ui_list *l = make(&f, 10);
	int scrolled;
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 10);
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 0);
	/* a one-line move repaints the old and the new selection */
	assert_int_equal(ui_list_move(l, 1), WB_OK);
	f.drawn = 0;
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 2);
	assert_int_equal(f.drawn, 2);
	assert_int_equal(scrolled, 0);
	/* moving past the bottom scrolls by one: the new row and the old selection */
	assert_int_equal(ui_list_move(l, 8), WB_OK);
	ui_list_draw(l);
	assert_int_equal(ui_list_move(l, 1), WB_OK);
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 2);
	assert_int_equal(scrolled, 1);
	/* and back up past the top */
	assert_int_equal(ui_list_move(l, -9), WB_OK);
	ui_list_draw(l);
	assert_int_equal(ui_list_move(l, -1), WB_OK);
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 2);
	assert_int_equal(scrolled, -1);
	/* a mark repaints one row */
	ui_list_toggle_mark(l);
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 1);
	/* a page flip repaints the screen */
	assert_int_equal(ui_list_page(l, 1), WB_OK);
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 10);
	ui_list_invalidate(l);
	ui_list_draw(l);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 10);
	ui_list_free(&l);
}

static void test_short_list_blanks_rest(void **state)
{
	(void)state;
	struct fake f = { .n = 3 };
	struct ui_list *l = make(&f, 10);
	int scrolled;
	ui_list_draw(l);
	/* 3 rows drawn by the source, 7 blanked by the list */
	assert_int_equal(f.drawn, 3);
	assert_int_equal(ui_list_last_drawn(l, &scrolled), 10);
	ui_list_free(&l);
}

/* After a prefetch (the console does one while it waits for a key) PgDn, PgUp and a scroll past the
 * bottom row show rows without asking the source, and the list still holds about four screens. */
static void test_prefetch_keeps_keys_query_free(void **state)
{
	(void)state;
	struct fake f = { .n = 1000000 };
	struct ui_list *l = make(&f, 20);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(ui_list_prefetch(l), WB_OK);
		int calls = f.fetch_calls;
		assert_int_equal(ui_list_page(l, 1), WB_OK);
		assert_int_equal(f.fetch_calls, calls);
		assert_true(ui_list_held(l) <= 80); /* four screens of 20 */
	}
	assert_int_equal(sel_id(l), 1 + 50 * 20);
	assert_int_equal(ui_list_prefetch(l), WB_OK);
	int calls = f.fetch_calls;
	assert_int_equal(ui_list_page(l, -1), WB_OK);
	assert_int_equal(sel_id(l), 1 + 49 * 20);
	assert_int_equal(ui_list_prefetch(l), WB_OK);
	assert_int_equal(ui_list_move(l, 19), WB_OK); /* the bottom row */
	assert_int_equal(ui_list_move(l, 1), WB_OK);  /* one past it */
	assert_int_equal(sel_id(l), 1 + 49 * 20 + 20);
	assert_true(f.fetch_calls <= calls + 1); /* at most the prefetch after PgUp read */
	/* line by line past the bottom row: a read once a screen, not on every line */
	calls = f.fetch_calls;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(ui_list_move(l, 1), WB_OK);
		assert_int_equal(ui_list_prefetch(l), WB_OK);
		assert_true(ui_list_held(l) <= 80); /* four screens of 20 */
	}
	assert_int_equal(sel_id(l), 1 + 49 * 20 + 20 + 100);
	assert_true(f.fetch_calls - calls <= 100 / 20 + 1);
	/* End reads one screen; the prefetch reads the one before it, and nothing after the end */
	assert_int_equal(ui_list_last(l), WB_OK);
	assert_int_equal(sel_id(l), 1000000);
	assert_int_equal(ui_list_prefetch(l), WB_OK);
	calls = f.fetch_calls;
	assert_int_equal(ui_list_prefetch(l), WB_OK);
	assert_int_equal(ui_list_page(l, -1), WB_OK);
	assert_int_equal(f.fetch_calls, calls);
	assert_int_equal(sel_id(l), 1000000 - 20);
	assert_true(ui_list_held(l) <= 80); /* four screens of 20 */
	ui_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_million_rows_never_loaded),
		cmocka_unit_test(test_paging_clamps_at_ends),
		cmocka_unit_test(test_empty_and_errors),
		cmocka_unit_test(test_reload_keeps_selection),
		cmocka_unit_test(test_reload_at_top_shows_new_rows),
		cmocka_unit_test(test_marks_survive_paging),
		cmocka_unit_test(test_draws_only_what_changed),
		cmocka_unit_test(test_short_list_blanks_rest),
		cmocka_unit_test(test_prefetch_keeps_keys_query_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
