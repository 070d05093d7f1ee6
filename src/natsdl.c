/*
 * natsdl.c - opening the NATS client library on first use: see natsdl.h.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "natsdl.h"

struct natsdl natsdl;

/* dlsym into a function pointer (ISO C has no cast for it). */
static int
load_sym(void *lib, void *fnptr, const char *name)
{
	void *sym = dlsym(lib, name);

	if (sym == NULL)
		return -1;
	memcpy(fnptr, &sym, sizeof(sym));
	return 0;
}

int
natsdl_load(char *why, size_t whylen)
{
	const char *missing = NULL;
	void *lib;

	if (natsdl.lib != NULL)
		return 0;
	/* RTLD_LOCAL: its OpenSSL stays out of everyone else's lookups. */
	if ((lib = dlopen(NATSDL_LIB, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(why, whylen, "cannot load the NATS client library %s, "
		    "which publish and replica need: %s", NATSDL_LIB,
		    dlerror());
		return -1;
	}
#define NATSDL_LOAD(name) \
	if (missing == NULL && load_sym(lib, &natsdl.p_##name, #name) != 0) \
		missing = #name;
	NATSDL_FUNCS(NATSDL_LOAD)
#undef NATSDL_LOAD
	if (missing != NULL) {
		snprintf(why, whylen, "cannot use the NATS client library %s: "
		    "it has no %s (rollcall was built for cnats %s)",
		    NATSDL_LIB, missing, NATS_VERSION_STRING);
		dlclose(lib);
		memset(&natsdl, 0, sizeof(natsdl));
		return -1;
	}
	natsdl.lib = lib;
	return 0;
}
