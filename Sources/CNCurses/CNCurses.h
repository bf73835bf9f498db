// SwiftPM drops pkg-config's -D flags, so wide-character support is switched on here, before
// ncurses.h, or get_wch and friends are not declared.
#define NCURSES_WIDECHAR 1
#include <ncurses.h>
#include <locale.h>
#include <langinfo.h>
