/* applet.h - what every applet sees: its entry point, name and usage helpers. */
#ifndef CONLINK_APPLET_H
#define CONLINK_APPLET_H

#include <stdbool.h>

#include "xwrap.h"

#ifdef STATIC_BUILD
#define IF_IN_STATIC(...) __VA_ARGS__
#define IF_DYNAMIC_ONLY(...)
#else
#define IF_IN_STATIC(...) __VA_ARGS__
#define IF_DYNAMIC_ONLY(...) __VA_ARGS__
#endif

#define APPLET(name, main, where) IF_##where(int main(int argc, char **argv);)
#include "../applets/applets.def"
#undef APPLET

/* True when argv[1] is -h or --help: print usage to stdout, caller exits 0. */
bool want_help(int argc, char **argv, const char *usage);

#endif
