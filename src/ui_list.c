#include "ui_list.h"

#include "ui_term.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

struct ui_list {
	struct ui_list_source src;
	void **rows;            /* a contiguous slice of the data, in display order */
	size_t n, cap;
	bool at_start, at_end;  /* the slice begins at the first row / ends at the last */
	long top, sel;          /* indexes into rows */
	int y, x, h, w;
	bool focused;
	int64_t *marks;
	size_t nmarks, capmarks;
	/* what each screen row shows now */
	int64_t *shown_id;
	unsigned *shown_flags;
	bool *shown_valid;
	int shown_h;
	int last_drawn, last_scrolled;
	uint64_t fetched;
	struct wb_err err;
};

#define NO_ROW INT64_MIN

static int page_size(const struct ui_list *l)
{
	return l->h > 0 ? l->h : 1;
}

/* The screen shown, one above it and up to two below: ui_list_prefetch reads a screen ahead only when
 * less than one is held, so scrolling line by line reads once a screen, not on every line. */
static size_t max_held(const struct ui_list *l)
{
	return (size_t)page_size(l) * 4;
}

struct ui_list *ui_list_new(const struct ui_list_source *src)
{
	struct ui_list *l = xcalloc(1, sizeof *l);
	l->src = *src;
	l->at_start = l->at_end = true;
	return l;
}

static void drop_rows(struct ui_list *l, size_t from, size_t count)
{
	if (!count)
		return;
	for (size_t i = from; i < from + count; i++)
		if (l->src.row_free)
			l->src.row_free(l->src.ctx, l->rows[i]);
	memmove(l->rows + from, l->rows + from + count, (l->n - from - count) * sizeof l->rows[0]);
	l->n -= count;
}

static void clear_rows(struct ui_list *l)
{
	drop_rows(l, 0, l->n);
	l->top = l->sel = 0;
}

void ui_list_free(struct ui_list **lp)
{
	struct ui_list *l = *lp;
	if (!l)
		return;
	clear_rows(l);
	free(l->rows);
	free(l->marks);
	free(l->shown_id);
	free(l->shown_flags);
	free(l->shown_valid);
	free(l);
	*lp = NULL;
}

static void reserve(struct ui_list *l, size_t extra)
{
	if (l->n + extra <= l->cap)
		return;
	l->cap = l->n + extra + 16;
	l->rows = xrealloc(l->rows, l->cap * sizeof l->rows[0]);
}

/* Fetches up to n rows next to anchor into a fresh array. Returns the count or a negative code. */
static int fetch(struct ui_list *l, const void *anchor, int dir, int n, void ***out)
{
	void **rows = xcalloc((size_t)n, sizeof *rows);
	int got = l->src.fetch(l->src.ctx, anchor, dir, n, rows, &l->err);
	if (got < 0) {
		free(rows);
		return got;
	}
	if (got > n)
		got = n;
	l->fetched += (uint64_t)got;
	*out = rows;
	return got;
}

static int append_after(struct ui_list *l, int want)
{
	void **rows;
	int got = fetch(l, l->n ? l->rows[l->n - 1] : NULL, +1, want, &rows);
	if (got < 0)
		return got;
	if (got > 0) {
		reserve(l, (size_t)got);
		memcpy(l->rows + l->n, rows, (size_t)got * sizeof *rows);
		l->n += (size_t)got;
	}
	if (got < want)
		l->at_end = true;
	free(rows);
	return got;
}

static int prepend_before(struct ui_list *l, int want)
{
	void **rows;
	int got = fetch(l, l->n ? l->rows[0] : NULL, -1, want, &rows);
	if (got < 0)
		return got;
	if (got > 0) {
		reserve(l, (size_t)got);
		memmove(l->rows + got, l->rows, l->n * sizeof l->rows[0]);
		memcpy(l->rows, rows, (size_t)got * sizeof *rows);
		l->n += (size_t)got;
	}
	l->top += got;
	l->sel += got;
	if (got < want)
		l->at_start = true;
	free(rows);
	return got;
}

/* Makes the slice cover indexes lo..hi (relative to the slice now; lo may be negative) as far as the
 * data reaches. Returns the number of rows prepended (indexes shift by it) or a negative code. */
static int fill(struct ui_list *l, long lo, long hi, long *shift)
{
	*shift = 0;
	while (hi >= (long)l->n && !l->at_end) {
		long want = hi - (long)l->n + 1;
		if (want < page_size(l))
			want = page_size(l);
		int rc = append_after(l, (int)want);
		if (rc < 0)
			return rc;
	}
	while (lo + *shift < 0 && !l->at_start) {
		long want = -(lo + *shift);
		if (want < page_size(l))
			want = page_size(l);
		int rc = prepend_before(l, (int)want);
		if (rc < 0)
			return rc;
		*shift += rc;
	}
	return WB_OK;
}

/* Drops rows far from the view so that at most about four screens are held. */
static void trim(struct ui_list *l)
{
	size_t max = max_held(l);
	if (l->n <= max)
		return;
	long keep_before = page_size(l);
	long front = l->top - keep_before;
	if (front > 0) {
		size_t d = (size_t)front;
		if (d > l->n - max)
			d = l->n - max;
		drop_rows(l, 0, d);
		l->top -= (long)d;
		l->sel -= (long)d;
		l->at_start = false;
	}
	if (l->n > max) {
		size_t keep = (size_t)(l->top + 2 * page_size(l));
		if (keep < max)
			keep = max;
		if (l->n > keep) {
			drop_rows(l, keep, l->n - keep);
			l->at_end = false;
		}
	}
}

/* Keeps sel inside the data and on screen, and the screen full when the data allows. */
static void settle(struct ui_list *l)
{
	long h = page_size(l);
	if (l->n == 0) {
		l->top = l->sel = 0;
		return;
	}
	if (l->sel >= (long)l->n)
		l->sel = (long)l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (l->top + h > (long)l->n && l->at_end)
		l->top = (long)l->n - h;
	if (l->top < 0)
		l->top = 0;
}

int ui_list_load(struct ui_list *l)
{
	clear_rows(l);
	l->at_start = true;
	l->at_end = false;
	/* one screen: the next one comes with ui_list_prefetch, after this one is shown */
	int rc = append_after(l, page_size(l));
	if (rc < 0) {
		l->at_end = true;
		return rc;
	}
	settle(l);
	ui_list_invalidate(l);
	return WB_OK;
}

static long find_id(const struct ui_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->src.row_id(l->src.ctx, l->rows[i]) == id)
			return (long)i;
	return -1;
}

int ui_list_reload(struct ui_list *l)
{
	if (l->n == 0)
		return ui_list_load(l);
	long h = page_size(l);
	/* at the very top, rows that arrived above stay in view: the top is the top of the data */
	bool was_at_top = l->at_start && l->top == 0;
	int64_t sel_id = l->src.row_id(l->src.ctx, l->rows[l->sel]);
	long sel_off = l->sel - l->top;
	void **before = NULL, **after = NULL;
	int nb = fetch(l, l->rows[l->top], -1, (int)h, &before);
	if (nb < 0)
		return nb;
	int na = fetch(l, nb > 0 ? before[nb - 1] : NULL, +1, (int)(2 * h), &after);
	if (na < 0) {
		for (int i = 0; i < nb; i++)
			if (l->src.row_free)
				l->src.row_free(l->src.ctx, before[i]);
		free(before);
		return na;
	}
	clear_rows(l);
	reserve(l, (size_t)(nb + na) + 1);
	if (nb)
		memcpy(l->rows, before, (size_t)nb * sizeof *before);
	if (na)
		memcpy(l->rows + nb, after, (size_t)na * sizeof *after);
	l->n = (size_t)(nb + na);
	free(before);
	free(after);
	l->at_start = nb < h;
	l->at_end = na < 2 * h;
	l->top = nb;
	long found = find_id(l, sel_id);
	if (was_at_top && l->at_start)
		l->top = 0;
	if (found >= 0) {
		l->sel = found;
		if (!was_at_top)
			l->top = found - sel_off;
		if (l->top < 0)
			l->top = 0;
	} else {
		l->sel = l->top + sel_off;
	}
	settle(l);
	ui_list_invalidate(l);
	return WB_OK;
}

int ui_list_move(struct ui_list *l, int delta)
{
	long shift;
	long target = l->sel + delta;
	int rc = fill(l, target, target, &shift);
	target += shift;
	l->sel = target;
	settle(l);
	trim(l);
	return rc;
}

int ui_list_page(struct ui_list *l, int pages)
{
	long h = page_size(l);
	long t = l->top + pages * h, s = l->sel + pages * h;
	long shift;
	int rc = fill(l, t < s ? t : s, t + h - 1 > s ? t + h - 1 : s, &shift);
	t += shift;
	s += shift;
	if (t + h > (long)l->n && l->at_end)
		t = (long)l->n - h;
	if (t < 0)
		t = 0;
	l->top = t;
	l->sel = s;
	settle(l);
	trim(l);
	return rc;
}

int ui_list_prefetch(struct ui_list *l)
{
	if (l->n == 0)
		return WB_OK;
	long h = page_size(l);
	long shift;
	/* a screen more after the one shown when less than a screen is held there, the same before it:
	 * fill() reads a whole screen at a time, so this reads once a screen scrolled, not every line */
	int rc = fill(l, l->top - h, l->top + 2 * h - 1, &shift);
	trim(l);
	return rc;
}

int ui_list_first(struct ui_list *l)
{
	if (l->at_start) {
		l->sel = 0;
		settle(l);
		return WB_OK;
	}
	return ui_list_load(l);
}

int ui_list_last(struct ui_list *l)
{
	if (!l->at_end) {
		clear_rows(l);
		l->at_end = true;
		l->at_start = false;
		int rc = prepend_before(l, page_size(l));
		if (rc < 0)
			return rc;
		ui_list_invalidate(l);
	}
	l->sel = (long)l->n - 1;
	settle(l);
	return WB_OK;
}

bool ui_list_click(struct ui_list *l, int y)
{
	if (y < l->y || y >= l->y + l->h)
		return false;
	long i = l->top + (y - l->y);
	if (i >= (long)l->n)
		return false;
	l->sel = i;
	return true;
}

const void *ui_list_selected(const struct ui_list *l)
{
	return l->n ? l->rows[l->sel] : NULL;
}

size_t ui_list_held(const struct ui_list *l)
{
	return l->n;
}

uint64_t ui_list_rows_fetched(const struct ui_list *l)
{
	return l->fetched;
}

bool ui_list_empty(const struct ui_list *l)
{
	return l->n == 0;
}

long ui_list_position(const struct ui_list *l)
{
	return l->at_start && l->n ? l->sel : -1;
}

static size_t mark_pos(const struct ui_list *l, int64_t id, bool *found)
{
	size_t lo = 0, hi = l->nmarks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->marks[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < l->nmarks && l->marks[lo] == id;
	return lo;
}

bool ui_list_is_marked(const struct ui_list *l, int64_t id)
{
	bool found;
	mark_pos(l, id, &found);
	return found;
}

void ui_list_set_mark(struct ui_list *l, int64_t id, bool on)
{
	bool found;
	size_t i = mark_pos(l, id, &found);
	if (on && !found) {
		if (l->nmarks == l->capmarks) {
			l->capmarks = l->capmarks ? l->capmarks * 2 : 16;
			l->marks = xrealloc(l->marks, l->capmarks * sizeof l->marks[0]);
		}
		memmove(l->marks + i + 1, l->marks + i, (l->nmarks - i) * sizeof l->marks[0]);
		l->marks[i] = id;
		l->nmarks++;
	} else if (!on && found) {
		memmove(l->marks + i, l->marks + i + 1, (l->nmarks - i - 1) * sizeof l->marks[0]);
		l->nmarks--;
	}
}

bool ui_list_toggle_mark(struct ui_list *l)
{
	if (!l->n)
		return false;
	int64_t id = l->src.row_id(l->src.ctx, l->rows[l->sel]);
	bool on = !ui_list_is_marked(l, id);
	ui_list_set_mark(l, id, on);
	return on;
}

void ui_list_clear_marks(struct ui_list *l)
{
	l->nmarks = 0;
}

const int64_t *ui_list_marks(const struct ui_list *l, size_t *n)
{
	*n = l->nmarks;
	return l->marks;
}

void ui_list_place(struct ui_list *l, int y, int x, int height, int width)
{
	if (height < 1)
		height = 1;
	if (height != l->shown_h) {
		l->shown_id = xrealloc(l->shown_id, (size_t)height * sizeof l->shown_id[0]);
		l->shown_flags = xrealloc(l->shown_flags, (size_t)height * sizeof l->shown_flags[0]);
		l->shown_valid = xrealloc(l->shown_valid, (size_t)height * sizeof l->shown_valid[0]);
		l->shown_h = height;
	}
	l->y = y;
	l->x = x;
	l->h = height;
	l->w = width;
	ui_list_invalidate(l);
	settle(l);
}

void ui_list_set_focus(struct ui_list *l, bool focused)
{
	if (l->focused != focused) {
		l->focused = focused;
		ui_list_invalidate(l);
	}
}

void ui_list_invalidate(struct ui_list *l)
{
	for (int i = 0; i < l->shown_h; i++)
		l->shown_valid[i] = false;
}

static int64_t id_at(const struct ui_list *l, int i)
{
	long k = l->top + i;
	return k < (long)l->n ? l->src.row_id(l->src.ctx, l->rows[k]) : NO_ROW;
}

void ui_list_draw(struct ui_list *l)
{
	int h = l->h;
	l->last_drawn = 0;
	l->last_scrolled = 0;
	if (h <= 0 || l->shown_h < h)
		return;
	/* Did the rows move as a block? Then move them on the terminal too. */
	int64_t first = id_at(l, 0);
	int shift = 0;
	if (first != NO_ROW && l->shown_valid[0] && l->shown_id[0] != first) {
		for (int k = 1; k < h && !shift; k++) {
			if (l->shown_valid[k] && l->shown_id[k] == first)
				shift = k;                /* content moved up by k */
			else if (l->shown_valid[0] && id_at(l, k) == l->shown_id[0])
				shift = -k;               /* content moved down by k */
		}
	}
	int cols, rows;
	ui_term_size(&rows, &cols);
	bool full_width = l->x == 0 && l->w >= cols;
	if (shift) {
		int k = shift > 0 ? shift : -shift;
		if (full_width)
			ui_term_scroll(l->y, l->y + h - 1, shift);
		l->last_scrolled = shift;
		if (shift > 0) {
			memmove(l->shown_id, l->shown_id + k, (size_t)(h - k) * sizeof l->shown_id[0]);
			memmove(l->shown_flags, l->shown_flags + k, (size_t)(h - k) * sizeof l->shown_flags[0]);
			memmove(l->shown_valid, l->shown_valid + k, (size_t)(h - k) * sizeof l->shown_valid[0]);
			for (int i = h - k; i < h; i++)
				l->shown_valid[i] = false;
		} else {
			memmove(l->shown_id + k, l->shown_id, (size_t)(h - k) * sizeof l->shown_id[0]);
			memmove(l->shown_flags + k, l->shown_flags, (size_t)(h - k) * sizeof l->shown_flags[0]);
			memmove(l->shown_valid + k, l->shown_valid, (size_t)(h - k) * sizeof l->shown_valid[0]);
			for (int i = 0; i < k; i++)
				l->shown_valid[i] = false;
		}
		if (!full_width) /* the terminal did not move them: every row must be drawn again */
			ui_list_invalidate(l);
	}
	for (int i = 0; i < h; i++) {
		long k = l->top + i;
		int64_t id = id_at(l, i);
		unsigned flags = 0;
		if (id != NO_ROW) {
			if (k == l->sel)
				flags |= UI_LIST_SELECTED;
			if (ui_list_is_marked(l, id))
				flags |= UI_LIST_MARKED;
			if (l->focused)
				flags |= UI_LIST_FOCUSED;
		}
		if (l->shown_valid[i] && l->shown_id[i] == id && l->shown_flags[i] == flags)
			continue;
		if (id == NO_ROW)
			ui_term_fill(l->y + i, l->x, l->w, ROLE_NORMAL);
		else if (l->src.draw)
			l->src.draw(l->src.ctx, l->rows[k], l->y + i, l->x, l->w, flags);
		l->shown_id[i] = id;
		l->shown_flags[i] = flags;
		l->shown_valid[i] = true;
		l->last_drawn++;
	}
}

int ui_list_last_drawn(const struct ui_list *l, int *scrolled)
{
	if (scrolled)
		*scrolled = l->last_scrolled;
	return l->last_drawn;
}

const char *ui_list_error(const struct ui_list *l)
{
	return l->err.msg;
}
