#ifndef ORDERFLOW_CURSES_SHIM_H
#define ORDERFLOW_CURSES_SHIM_H

// What Swift cannot take from ncurses.h directly: function-like macros (A_BOLD, COLOR_PAIR's
// attribute form), the stdscr and COLORS globals, and async-signal-safe flags. WINDOW pointers
// cross as void * so this header does not include ncurses.h a second time into another module.

/// stdscr after newterm().
void *orderflow_stdscr(void);
int orderflow_colors(void);

/// Sets the attributes for the next writes: colour pair (0 for none), bold, dim, reverse.
void orderflow_set_style(void *window, short pair, int bold, int dim, int reverse);

/// Installs SIGINT, SIGTERM and SIGHUP handlers (no SA_RESTART) that only record the signal.
/// Call before newterm(): ncurses then leaves these signals to us.
void orderflow_install_signal_handlers(void);
/// The last signal received, or 0.
int orderflow_signal_received(void);

/// Registers an atexit hook that calls endwin() if curses is still active.
void orderflow_endwin_at_exit(void);

/// Whether the current locale's codeset is UTF-8 (call after setlocale).
int orderflow_locale_is_utf8(void);

#endif
