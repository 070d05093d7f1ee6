/*
 * policy.h - the points policy: pure rules, no storage.
 */
#ifndef ROLLCALL_POLICY_H
#define ROLLCALL_POLICY_H

#include <stdint.h>

enum att_status { ST_EARLY = 1, ST_ON_TIME = 2, ST_LATE = 3 };

struct rc_policy {
	uint32_t start;		/* class start, seconds since local midnight */
	uint16_t window;	/* minutes, 1-120 */
	uint16_t points;	/* 0-1000 */
};

/* A student's tally under the policy: what its check-ins add up to. */
struct rc_figures {
	int64_t points;
	uint32_t present, early, late, on_time;
};

#define POLICY_DEFAULT_START (9 * 3600)
#define POLICY_DEFAULT_WINDOW 5
#define POLICY_DEFAULT_POINTS 5

void policy_default(struct rc_policy *p);

/*
 * Judge an arrival (seconds since local midnight): sets the status and
 * the points it earns (+P early, -P late, 0 on time).
 */
void policy_judge(const struct rc_policy *p, uint32_t arrived,
    uint8_t *status, int32_t *points);

/* "early", "on_time", "late", or "?" */
const char *policy_status_name(unsigned status);

#endif
