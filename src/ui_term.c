#include "ui_term.h"

#include "i18n.h"
#include "utf8.h"
#include "xmalloc.h"

#include <curses.h>
#include <term.h>

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* Everything the terminal layer keeps; one instance, since a process has one terminal. */
static struct {
	bool active;
	bool color;
	bool mouse;
	SCREEN *screen;
	attr_t role_attr[ROLE__COUNT];
	short role_pair[ROLE__COUNT];
	int mouse_row, mouse_col;
} term;

/* Written by signal handlers only. */
static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t tstp_pending;

/* Restoration a fatal signal handler may do without curses: bytes and terminal modes saved at init. */
static char fatal_seq[256];
static size_t fatal_seq_len;
static struct termios saved_tio;
static bool saved_tio_ok;

static const int quit_sigs[] = { SIGTERM, SIGINT, SIGHUP };
static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL };
static struct sigaction old_quit[3], old_fatal[5], old_tstp;

static void on_quit(int sig)
{
	quit_signal = sig;
}

static void on_tstp(int sig)
{
	(void)sig;
	tstp_pending = 1;
}

static void on_fatal(int sig)
{
	/* async-signal-safe only: write, tcsetattr, signal, raise */
	if (fatal_seq_len) {
		ssize_t w = write(STDOUT_FILENO, fatal_seq, fatal_seq_len);
		(void)w;
	}
	if (saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void add_fatal_cap(const char *cap)
{
	char *s = tigetstr(cap);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (fatal_seq_len + n < sizeof fatal_seq) {
		memcpy(fatal_seq + fatal_seq_len, s, n);
		fatal_seq_len += n;
	}
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit; /* no SA_RESTART: a waiting read returns at once */
	for (int i = 0; i < 3; i++)
		sigaction(quit_sigs[i], &sa, &old_quit[i]);
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, &old_tstp);
	sa.sa_handler = on_fatal;
	for (int i = 0; i < 5; i++)
		sigaction(fatal_sigs[i], &sa, &old_fatal[i]);
}

static void restore_signals(void)
{
	for (int i = 0; i < 3; i++)
		sigaction(quit_sigs[i], &old_quit[i], NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	for (int i = 0; i < 5; i++)
		sigaction(fatal_sigs[i], &old_fatal[i], NULL);
}

static attr_t curses_attrs(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & UI_ATTR_BOLD)
		r |= A_BOLD;
	if (a & UI_ATTR_DIM)
		r |= A_DIM;
	if (a & UI_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & UI_ATTR_REVERSE)
		r |= A_REVERSE;
	if (a & UI_ATTR_ITALIC)
		r |= A_ITALIC;
	if (a & UI_ATTR_BLINK)
		r |= A_BLINK;
	if (a & UI_ATTR_STANDOUT)
		r |= A_STANDOUT;
	return r;
}

static bool default_colors_ok;

void ui_term_set_theme(const struct ui_theme *theme)
{
	struct ui_theme builtin;
	if (!theme) {
		ui_theme_default(&builtin);
		theme = &builtin;
	}
	for (int r = 0; r < ROLE__COUNT; r++) {
		const struct ui_style *s = &theme->style[r];
		if (!term.color) {
			term.role_attr[r] = curses_attrs(ui_theme_mono_attrs(theme, (enum ui_role)r));
			term.role_pair[r] = 0;
			continue;
		}
		bool bright_fg = false, bright_bg = false;
		int fg = ui_color_fallback(s->fg, COLORS, &bright_fg);
		int bg = ui_color_fallback(s->bg, COLORS, &bright_bg);
		if (!default_colors_ok) {
			if (fg == UI_COLOR_DEFAULT)
				fg = COLOR_WHITE;
			if (bg == UI_COLOR_DEFAULT)
				bg = COLOR_BLACK;
		}
		attr_t a = curses_attrs(s->attrs);
		if (bright_fg)
			a |= A_BOLD; /* an 8-colour terminal shows bright colours as bold */
		short pair = 0;
		if (r + 1 < COLOR_PAIRS && init_pair((short)(r + 1), (short)fg, (short)bg) == OK)
			pair = (short)(r + 1);
		term.role_pair[r] = pair;
		term.role_attr[r] = a;
	}
	if (term.active)
		bkgdset(' ' | term.role_attr[ROLE_NORMAL] | COLOR_PAIR(term.role_pair[ROLE_NORMAL]));
}

bool ui_term_has_color(void)
{
	return term.color;
}

int ui_term_init(const struct ui_term_options *opt, struct wb_err *err)
{
	if (term.active)
		return WB_OK;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return wb_err_set(err, WB_EIO, _("the console needs a terminal (stdin and stdout are not one)"));
	saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	quit_signal = 0;
	tstp_pending = 0;
	install_signals(); /* before curses, so curses keeps its hands off these signals */
	term.screen = newterm(NULL, stdout, stdin);
	if (!term.screen) {
		restore_signals();
		const char *t = getenv("TERM");
		return wb_err_set(err, WB_EIO, _("cannot use terminal type '%s' (check TERM)"), t ? t : "");
	}
	set_term(term.screen);
	term.active = true;
	fatal_seq_len = 0;
	add_fatal_cap("sgr0");
	add_fatal_cap("cnorm");
	add_fatal_cap("rmkx");
	add_fatal_cap("rmcup");

	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	idlok(stdscr, TRUE);  /* let curses use insert/delete line and the scroll region */
	idcok(stdscr, TRUE);
	scrollok(stdscr, FALSE);
	/* the cursor is hidden until an input line shows it (ui_term_cursor): while hidden, curses need
	 * not move it back to where the last text ended after every update */
	leaveok(stdscr, TRUE);
	curs_set(0);

	/* ncurses 6.4 flushes its output at every cursor move until the program has once left curses mode
	 * and come back (meant for programs that use only the terminfo level): a page of the queue went
	 * out in about 80 writes. Leave and come back once now, before anything is drawn and before colours
	 * are on (coming back with colours on would reset the terminal's palette), and a whole screen
	 * update goes out in one or two writes. */
	def_prog_mode();
	endwin();
	refresh();
	const char *nc = getenv("NO_COLOR");
	bool no_color = (opt && opt->no_color) || (nc && *nc);
	term.color = !no_color && has_colors();
	if (term.color) {
		start_color();
		default_colors_ok = use_default_colors() == OK;
	}
	ui_term_set_theme(opt ? opt->theme : NULL);

	term.mouse = false;
	if (!(opt && opt->no_mouse)) {
		mmask_t want = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
		want |= BUTTON5_PRESSED;
#endif
		if (mousemask(want, NULL) != 0) {
			term.mouse = true;
			mouseinterval(0);
		}
	}
	if (term.mouse) {
		static const char mouse_off[] = "\033[?1000l\033[?1006l";
		if (fatal_seq_len + sizeof mouse_off < sizeof fatal_seq) {
			memcpy(fatal_seq + fatal_seq_len, mouse_off, sizeof mouse_off - 1);
			fatal_seq_len += sizeof mouse_off - 1;
		}
	}
	erase();
	return WB_OK;
}

void ui_term_end(void)
{
	if (!term.active)
		return;
	if (term.mouse)
		mousemask(0, NULL);
	curs_set(1);
	endwin();
	term.active = false;
	delscreen(term.screen);
	term.screen = NULL;
	restore_signals();
	fatal_seq_len = 0;
}

bool ui_term_active(void)
{
	return term.active;
}

void ui_term_size(int *rows, int *cols)
{
	if (!term.active) {
		*rows = UI_MIN_ROWS;
		*cols = UI_MIN_COLS;
		return;
	}
	*rows = LINES;
	*cols = COLS;
}

bool ui_term_too_small(void)
{
	return term.active && (LINES < UI_MIN_ROWS || COLS < UI_MIN_COLS);
}

void ui_term_draw_too_small(void)
{
	if (!term.active)
		return;
	erase();
	char *msg = xasprintf(_("Terminal too small: %dx%d, needs at least %dx%d"), COLS, LINES,
			      UI_MIN_COLS, UI_MIN_ROWS);
	int w = utf8_width(msg);
	int col = w < COLS ? (COLS - w) / 2 : 0;
	ui_term_text(LINES / 2, col, COLS - col, msg, ROLE_ERROR, 0);
	free(msg);
	refresh();
}

static void do_suspend(void)
{
	tstp_pending = 0;
	def_prog_mode();
	endwin();
	struct sigaction sa, ours;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &ours);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, &old);
	raise(SIGTSTP); /* stops here until `fg` */
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigaction(SIGTSTP, &ours, NULL);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

static int map_curses_key(int k)
{
	switch (k) {
	case KEY_UP: return UI_KEY_UP;
	case KEY_DOWN: return UI_KEY_DOWN;
	case KEY_LEFT: return UI_KEY_LEFT;
	case KEY_RIGHT: return UI_KEY_RIGHT;
	case KEY_PPAGE: return UI_KEY_PGUP;
	case KEY_NPAGE: return UI_KEY_PGDN;
	case KEY_HOME: return UI_KEY_HOME;
	case KEY_END: return UI_KEY_END;
	case KEY_ENTER: return UI_KEY_ENTER;
	case KEY_BTAB: return UI_KEY_BTAB;
	case KEY_BACKSPACE: return UI_KEY_BACKSPACE;
	case KEY_DC: return UI_KEY_DELETE;
	case KEY_IC: return UI_KEY_INSERT;
	case KEY_RESIZE: return UI_KEY_RESIZE;
	default:
		if (k >= KEY_F(1) && k <= KEY_F(12))
			return UI_KEY_F1 + (k - KEY_F(1));
		return UI_KEY_TIMEOUT;
	}
}

int ui_term_key(int timeout_ms)
{
	if (!term.active)
		return UI_KEY_TIMEOUT;
	for (;;) {
		if (quit_signal)
			return UI_KEY_QUIT_SIGNAL;
		if (tstp_pending) {
			do_suspend();
			return UI_KEY_REDRAW;
		}
		wtimeout(stdscr, timeout_ms < 0 ? -1 : timeout_ms);
		wint_t wc;
		int r = wget_wch(stdscr, &wc);
		if (r == ERR) {
			if (quit_signal || tstp_pending)
				continue;
			/* the terminal went away without a SIGHUP reaching us: leave as if it had */
			struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
			if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))) {
				quit_signal = SIGHUP;
				continue;
			}
			return UI_KEY_TIMEOUT;
		}
		if (r == KEY_CODE_YES) {
			if (wc == KEY_MOUSE) {
				MEVENT ev;
				if (getmouse(&ev) != OK)
					continue;
				if (ev.bstate & BUTTON4_PRESSED)
					return UI_KEY_WHEEL_UP;
#ifdef BUTTON5_PRESSED
				if (ev.bstate & BUTTON5_PRESSED)
					return UI_KEY_WHEEL_DOWN;
#endif
				if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
					term.mouse_row = ev.y;
					term.mouse_col = ev.x;
					return UI_KEY_MOUSE;
				}
				continue;
			}
			int k = map_curses_key((int)wc);
			if (k == UI_KEY_TIMEOUT)
				continue; /* a key we do not use */
			return k;
		}
		switch (wc) {
		case '\r':
		case '\n': return UI_KEY_ENTER;
		case '\t': return UI_KEY_TAB;
		case 27: return UI_KEY_ESC;
		case 127:
		case 8: return UI_KEY_BACKSPACE;
		default: return (int)wc;
		}
	}
}

void ui_term_mouse(int *row, int *col)
{
	*row = term.mouse_row;
	*col = term.mouse_col;
}

/* The text ui_term_text draws, made in one pass over s (it runs for every cell of every row drawn, so
 * each character is decoded and measured once, and curses gets wide characters it need not decode
 * again): every character draws with the width it is counted with: controls become spaces, bytes that
 * do not decode and characters the terminal cannot place become '?', a combining mark with nothing to
 * sit on is dropped. The text is cut to `cells` cells; with `ellipsis`, a text wider than that ends
 * in "…" at the last cell. */
struct fitted {
	wchar_t *s;       /* NUL-terminated; buf or allocated */
	int len;          /* characters in s */
	int used;         /* cells it takes */
	wchar_t buf[256];
};

static void fit_text(const char *s, int cells, bool ellipsis, struct fitted *f)
{
	size_t n = strlen(s);
	/* at most one character per byte; then "…", a space after it and the NUL */
	f->s = n + 3 <= sizeof f->buf / sizeof f->buf[0] ? f->buf : xmalloc((n + 3) * sizeof *f->s);
	size_t o = 0, o_short = 0; /* characters out; characters that fit in cells - 1 */
	int w = 0, w_short = 0;
	bool over = false, have_base = false;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		wchar_t wc;
		size_t len = 1;
		int cw = 1;
		bool base = true;         /* a mark after it has something to sit on */
		if (c < 0x80) {
			wc = (c < 0x20 || c == 0x7F) ? L' ' : (wchar_t)c;
		} else {
			len = mbrtowc(&wc, s + i, n - i, &st);
			if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
				memset(&st, 0, sizeof st);
				wc = L'?';
				len = 1;
			} else {
				cw = wcwidth(wc);
				if (cw < 0 || (wc >= 0x80 && wc < 0xA0)) {
					wc = L'?';
					cw = 1;
					base = false;
				} else if (cw == 0 && !have_base) {
					i += len; /* a combining mark with nothing to sit on: drop it */
					continue;
				}
			}
		}
		if (w + cw > cells) {
			over = true;
			break;
		}
		f->s[o++] = wc;
		w += cw;
		if (base)
			have_base = true;
		if (w <= cells - 1) {
			o_short = o;
			w_short = w;
		}
		i += len;
	}
	if (over && ellipsis) {
		o = o_short;
		f->s[o++] = L'\u2026';
		w = w_short + 1;
		/* a wide character that did not fit before the "…" leaves a cell: pad it */
		while (w < cells) {
			f->s[o++] = L' ';
			w++;
		}
	}
	f->s[o] = L'\0';
	f->len = (int)o;
	f->used = w;
}

static void fitted_free(struct fitted *f)
{
	if (f->s != f->buf)
		free(f->s);
}

static void set_role(enum ui_role role)
{
	if ((unsigned)role >= ROLE__COUNT)
		role = ROLE_NORMAL;
	attr_set(term.role_attr[role], term.role_pair[role], NULL);
}

static void put_spaces(int row, int col, int n)
{
	if (n > 0)
		mvhline(row, col, ' ', n);
}

int ui_term_text(int row, int col, int cells, const char *s, enum ui_role role, unsigned flags)
{
	if (!term.active || row < 0 || row >= LINES || col < 0 || col >= COLS)
		return 0;
	if (cells > COLS - col)
		cells = COLS - col;
	if (cells <= 0)
		return 0;
	struct fitted f;
	fit_text(s ? s : "", cells, flags & UI_TEXT_ELLIPSIS, &f);
	int used = f.used;
	set_role(role);
	int lead = (flags & UI_TEXT_RIGHT) ? cells - used : 0;
	int drawn = (flags & (UI_TEXT_PAD | UI_TEXT_RIGHT)) ? cells : used;
	/* Blank the cells first: a narrow character written over half of a wide one leaves curses with
	 * a half character that a later write would "repair" by blanking our text. */
	put_spaces(row, col, drawn);
	mvaddnwstr(row, col + lead, f.s, f.len);
	fitted_free(&f);
	set_role(ROLE_NORMAL);
	return drawn;
}

void ui_term_fill(int row, int col, int cells, enum ui_role role)
{
	if (!term.active || row < 0 || row >= LINES || col < 0 || col >= COLS)
		return;
	if (cells > COLS - col)
		cells = COLS - col;
	set_role(role);
	put_spaces(row, col, cells);
	set_role(ROLE_NORMAL);
}

void ui_term_clear_eol(int row, int col, enum ui_role role)
{
	if (term.active)
		ui_term_fill(row, col, COLS - col, role);
}

void ui_term_recolor(int row, int col, int cells, enum ui_role role)
{
	if (!term.active || row < 0 || row >= LINES || col < 0 || col >= COLS)
		return;
	if (cells > COLS - col)
		cells = COLS - col;
	mvchgat(row, col, cells, term.role_attr[role], term.role_pair[role], NULL);
}

void ui_term_clear(void)
{
	if (!term.active)
		return;
	set_role(ROLE_NORMAL);
	erase();
}

void ui_term_scroll(int top, int bottom, int n)
{
	if (!term.active || n == 0 || top < 0 || bottom >= LINES || top > bottom)
		return;
	set_role(ROLE_NORMAL);
	scrollok(stdscr, TRUE);
	wsetscrreg(stdscr, top, bottom);
	wscrl(stdscr, n);
	wsetscrreg(stdscr, 0, LINES - 1);
	scrollok(stdscr, FALSE);
}

void ui_term_cursor(int row, int col)
{
	if (!term.active)
		return;
	if (row < 0) {
		curs_set(0);
		leaveok(stdscr, TRUE);
		return;
	}
	leaveok(stdscr, FALSE);
	move(row, col);
	curs_set(1);
}

void ui_term_flush(void)
{
	if (term.active)
		refresh();
}

void ui_term_invalidate(void)
{
	if (term.active)
		clearok(curscr, TRUE);
}

void ui_term_beep(void)
{
	if (term.active)
		beep();
}

void ui_term_suspend(void)
{
	if (!term.active)
		return;
	def_prog_mode();
	endwin();
}

void ui_term_resume(void)
{
	if (!term.active)
		return;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

int ui_term_quit_signal(void)
{
	return quit_signal;
}
