/* bench/floor.c — the floor: the least a curses program must do to show weibao's queue screen.
 *
 * usage: floor N
 * Draws the queue layout (a top bar, one line per ticket, a status line) for N tickets whose rows
 * come from an in-memory table (row i is computed from fixed arrays, so memory does not grow with
 * N), and answers the queue keys: j/k and the arrows move the cursor (a move past the bottom row
 * scrolls one line through the terminal's scroll region), PgDn/PgUp, Home/End, Enter opens a
 * plain ticket view (any key returns), q quits. Every terminal figure of weibao is divided by this
 * program's. The status line reads "tickets A-B of N" (the screen marker bench/term.py waits for). */
#include "utf8.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long n_rows;
static int list_h;        /* lines of the list */
static long first;        /* row at the top of the list */
static int cur;           /* cursor line within the list */
static WINDOW *list;

static const char *const subjects[] = {
	"登录页面报错 500，无法进入系统", "Order sync fails with timeout after upgrade", "导出报表时金额合计不正确",
	"Apply kernel security update on app servers", "夜间批处理任务中断，数据库连接超时",
	"Search returns no results for names with spaces", "软件维保方案的服务范围咨询", "Renew TLS certificate before expiry",
	"每日巡检：磁盘空间与错误日志", "How do I add a new warehouse location?",
};
static const char *const statuses[] = { "new", "triaged", "in progress", "waiting", "in review", "testing",
					"reopened" };
static const char *const people[] = { "张伟", "Mary Johnson", "李娜", "Hans Becker", "陈静", "David Smith" };

static void row_text(long i, char *buf, size_t n)
{
	long id = n_rows - i;
	char *subj = utf8_pad(subjects[i % 10], 46);
	char *who = utf8_pad(people[i % 6], 14);
	snprintf(buf, n, "#%-7ld P%ld %-12s %s %s %02ld-%02ld %02ld:%02ld", id, 1 + (i * 7 / (n_rows + 1)) % 4,
		 statuses[i % 7], subj, who, 1 + i % 12, 1 + i % 28, i % 24, i % 60);
	free(subj);
	free(who);
}

static void draw_row(int line)
{
	long i = first + line;
	char buf[512];
	wmove(list, line, 0);
	if (i < n_rows) {
		row_text(i, buf, sizeof buf);
		if (line == cur)
			wattron(list, A_REVERSE);
		waddstr(list, buf);
		if (line == cur)
			wattroff(list, A_REVERSE);
	}
	wclrtoeol(list);
}

static void draw_list(void)
{
	for (int l = 0; l < list_h; l++)
		draw_row(l);
}

static void draw_status(void)
{
	long last = first + list_h < n_rows ? first + list_h : n_rows;
	move(LINES - 1, 0);
	clrtoeol();
	printw("tickets %ld-%ld of %ld   j/k move  PgDn page  End last  Enter open  q quit", first + 1, last, n_rows);
}

static void draw_top(void)
{
	attron(A_REVERSE);
	move(0, 0);
	clrtoeol();
	printw(" weibao floor   mine 12   unassigned 340   at risk 7   breached 3   open %ld", n_rows);
	for (int x = getcurx(stdscr); x < COLS; x++)
		addch(' ');
	attroff(A_REVERSE);
}

static void refresh_all(void)
{
	wnoutrefresh(stdscr);
	wnoutrefresh(list);
	doupdate();
}

static void open_ticket(void)
{
	WINDOW *w = newwin(LINES - 2, COLS, 1, 0);
	char buf[512];
	row_text(first + cur, buf, sizeof buf);
	mvwaddstr(w, 0, 0, buf);
	for (int m = 0; m < 50 && 2 + m < LINES - 2; m++)
		mvwprintw(w, 2 + m, 0, "%s  %s", people[m % 6], subjects[(first + cur + m) % 10]);
	wnoutrefresh(w);
	doupdate();
	wgetch(w);
	delwin(w);
	touchwin(stdscr);
	touchwin(list);
	refresh_all();
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	n_rows = argc > 1 ? atol(argv[1]) : 1000000;
	if (n_rows < 1)
		n_rows = 1;
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	list_h = LINES - 2;
	list = newwin(list_h, COLS, 1, 0);
	keypad(list, TRUE);
	scrollok(list, TRUE);
	idlok(list, TRUE);
	draw_top();
	draw_list();
	draw_status();
	refresh_all();
	for (;;) {
		int ch = wgetch(list);
		int old = cur;
		if (ch == 'q')
			break;
		switch (ch) {
		case 'j':
		case KEY_DOWN:
			if (first + cur + 1 >= n_rows)
				break;
			if (cur + 1 < list_h) {
				cur++;
				draw_row(old);
				draw_row(cur);
			} else {
				/* one line up through the scroll region, then the new bottom row */
				first++;
				wscrl(list, 1);
				draw_row(cur - 1);
				draw_row(cur);
			}
			break;
		case 'k':
		case KEY_UP:
			if (cur > 0) {
				cur--;
				draw_row(old);
				draw_row(cur);
			} else if (first > 0) {
				first--;
				wscrl(list, -1);
				draw_row(0);
				draw_row(1);
			}
			break;
		case KEY_NPAGE:
		case ' ':
			if (first + list_h < n_rows) {
				first += list_h;
				if (first + cur >= n_rows)
					cur = (int)(n_rows - first - 1);
				draw_list();
			}
			break;
		case KEY_PPAGE:
			first = first > list_h ? first - list_h : 0;
			draw_list();
			break;
		case KEY_HOME:
		case 'g':
			first = 0;
			cur = 0;
			draw_list();
			break;
		case KEY_END:
		case 'G':
			first = n_rows > list_h ? n_rows - list_h : 0;
			cur = (int)(n_rows - first - 1);
			draw_list();
			break;
		case '\r':
		case '\n':
		case KEY_ENTER:
			open_ticket();
			break;
		default:
			break;
		}
		draw_status();
		refresh_all();
	}
	endwin();
	return 0;
}
