#define NCURSES_WIDECHAR 1
#include <ncurses.h>
#include <langinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "CursesShim.h"

static volatile sig_atomic_t received_signal = 0;

void *orderflow_stdscr(void) { return stdscr; }

int orderflow_colors(void) { return COLORS; }

void orderflow_set_style(void *window, short pair, int bold, int dim, int reverse) {
    attr_t attrs = A_NORMAL;
    if (bold) attrs |= A_BOLD;
    if (dim) attrs |= A_DIM;
    if (reverse) attrs |= A_REVERSE;
    wattr_set((WINDOW *)window, attrs, pair, NULL);
}

static void record_signal(int sig) { received_signal = sig; }

void orderflow_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: a blocked wgetch returns so the loop sees the flag
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    // A parent may have started us with these blocked; the dashboard must still hear them.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGWINCH);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
}

int orderflow_signal_received(void) { return received_signal; }

static void endwin_if_active(void) {
    if (stdscr != NULL && !isendwin()) endwin();
}

void orderflow_endwin_at_exit(void) { atexit(endwin_if_active); }

int orderflow_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
