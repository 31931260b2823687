/* ui_plan.h — maintenance plans in the console: the plan form (a new plan or an existing one, every
 * field and the checklist on one screen), the list of plans, and the checklist of a maintenance task
 * ticked item by item. Everything goes through plan.h, as `weibao plan add|set|remove|done` does. */
#ifndef WB_UI_PLAN_H
#define WB_UI_PLAN_H

#include "ui_app.h"

#include <stdbool.h>
#include <stdint.h>

/* The plan form for a new plan starting on the local date `date` ("YYYY-MM-DD"; NULL = today), with
 * the usual defaults (every workday at 09:00, 30 minutes). Saved through plan_add; the coming two
 * weeks' tasks are then generated. True when saved (the result is in a->msg). */
bool ui_plan_add(struct ui_app *a, const char *date);
/* The same form filled with plan id. Saved through plan_update (as `weibao plan set`: when the schedule
 * changed, future tasks nobody touched are cancelled), then the coming two weeks' tasks are generated.
 * True when saved. */
bool ui_plan_edit(struct ui_app *a, int64_t id);
/* The list of active plans: system, kind, schedule in words, next occurrence. Enter edits, a adds,
 * d removes after asking (as `weibao plan remove`). Returns when the operator leaves it. */
void ui_plan_list(struct ui_app *a);
/* The checklist of maintenance task ticket_id: move to an item and tick it ok, failed or with a note
 * (plan_check, as `weibao plan done`; the task is resolved when every item is ticked and none failed). */
void ui_plan_checklist(struct ui_app *a, int64_t ticket_id);
/* The plan whose task ticket_id is; 0 when it is none (a->msg says so). */
int64_t ui_plan_of_task(struct ui_app *a, int64_t ticket_id);

#endif
