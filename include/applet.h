/* applet.h - what every applet sees: its entry point, usage and helpers. */
#ifndef CONLINK_APPLET_H
#define CONLINK_APPLET_H

#include <getopt.h>

#include "xwrap.h"

#ifdef STATIC_BUILD
#define IF_IN_STATIC(...) __VA_ARGS__
#define IF_DYNAMIC_ONLY(...)
#else
#define IF_IN_STATIC(...) __VA_ARGS__
#define IF_DYNAMIC_ONLY(...) __VA_ARGS__
#endif

/* Each applet's MAIN and USAGE (the dispatcher answers -h and --help with
 * it, before MAIN runs). */
#define APPLET(name, main, usage, where) \
	IF_##where(int main(int argc, char **argv); extern const char usage[];)
#include "../applets/applets.def"
#undef APPLET

#endif
