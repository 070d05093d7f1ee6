/*
 * policy.c - the points policy (SPEC section 1): pure rules, no storage.
 */
#include <stdint.h>

#include "policy.h"

void
policy_default(struct rc_policy *p)
{
	p->start = POLICY_DEFAULT_START;
	p->window = POLICY_DEFAULT_WINDOW;
	p->points = POLICY_DEFAULT_POINTS;
}

/*
 * Signed arithmetic throughout: with unsigned seconds a start earlier
 * than the window (00:02 with a 5 minute window) would wrap around.
 */
void
policy_judge(const struct rc_policy *p, uint32_t arrived, uint8_t *status,
    int32_t *points)
{
	int64_t a = arrived;
	int64_t s = p->start;
	int64_t w = (int64_t)p->window * 60;

	if (a <= s - w) {
		*status = ST_EARLY;
		*points = p->points;
	} else if (a >= s + w) {
		*status = ST_LATE;
		*points = -(int32_t)p->points;
	} else {
		*status = ST_ON_TIME;
		*points = 0;
	}
}

const char *
policy_status_name(unsigned status)
{
	switch (status) {
	case ST_EARLY:
		return "early";
	case ST_ON_TIME:
		return "on_time";
	case ST_LATE:
		return "late";
	}
	return "?";
}
