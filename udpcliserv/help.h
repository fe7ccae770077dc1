/* SPDX-License-Identifier: MIT */
/*
 * help.h - `-h` and `--help` for the udpcliserv programs: the usage line on
 * stdout and exit 0, where wrong arguments print it on stderr and exit 1.
 */
#ifndef UDPCLISERV_HELP_H
#define UDPCLISERV_HELP_H

#include "unp.h"

static inline void answer_help(int argc, char **argv, const char *usage)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("%s\n", usage);
        exit(0);
    }
}

#endif /* UDPCLISERV_HELP_H */
