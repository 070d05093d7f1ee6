/*
 * rm_errors.h - core-internal: the projection errors read model
 * (rm_errors.c): events that could not be applied, and why.
 */
#ifndef ROLLCALL_RM_ERRORS_H
#define ROLLCALL_RM_ERRORS_H

#include "readside.h"

extern const struct read_model rm_errors;

#endif
