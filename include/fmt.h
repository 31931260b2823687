/* fmt.h — how times and durations read to a person (lists, views, reports). */
#ifndef WB_FMT_H
#define WB_FMT_H

#include "clock.h"

#include <stddef.h>

/* "in 2h 10m", "3d ago", "now" relative to now. */
void fmt_relative(wb_time now, wb_time t, char *buf, size_t n);
/* Short local date-time for lists: "11-25 14:03" this year, "2025-11-25" before. */
void fmt_short(wb_time now, wb_time t, char *buf, size_t n);
/* Local "2026-11-25 14:03". */
void fmt_datetime(wb_time t, char *buf, size_t n);
/* Local date for a person to read, in the message language: "Wed 25 Nov 2026", "2026年11月25日 周三".
 * Names come from the catalogue, not from the C library's LC_TIME (which may be C). Files, JSON and CSV
 * keep ISO 8601 (clock_format_iso). "-" for 0. */
void fmt_long_date(wb_time t, char *buf, size_t n);
/* The same long date with the time of day, on the wall clock of zone tz (IANA name; NULL, "" or an
 * unknown zone: UTC): "Thu 26 Nov 2026 21:00", "2026年11月27日 周五 04:00". For mail to a person in
 * another zone than the desk's. "-" for 0. */
void fmt_long_datetime_in(wb_time t, const char *tz, char *buf, size_t n);
/* The long date alone on the wall clock of zone tz (as fmt_long_datetime_in): "Thu 26 Nov 2026",
 * "2026年11月26日 周四". For headings of days in the desk's zone. "-" for 0. */
void fmt_long_date_in(wb_time t, const char *tz, char *buf, size_t n);
/* A zone as a reader recognises it, with its offset at t: "Asia/Shanghai (UTC+8)",
 * "Asia/Kolkata (UTC+05:30)"; "UTC" for NULL, "", UTC or an unknown zone. */
void fmt_zone(const char *tz, wb_time t, char *buf, size_t n);
/* "1h 25m" from minutes. */
void fmt_minutes(int minutes, char *buf, size_t n);

#endif
