// SPDX-License-Identifier: MIT
// Standard I/O wrappers: a read error or a failed open ends the program.
#include "unp.h"

extern "C" {

char *Fgets(char *ptr, int n, FILE *stream)
{
    char *rptr = fgets(ptr, n, stream);
    if (rptr == nullptr && ferror(stream))
        err_sys("fgets error");
    return rptr;  // NULL at EOF
}

void Fputs(const char *ptr, FILE *stream)
{
    if (fputs(ptr, stream) == EOF)
        err_sys("fputs error");
}

FILE *Fopen(const char *pathname, const char *mode)
{
    FILE *fp = fopen(pathname, mode);
    if (fp == nullptr)
        err_sys("fopen error for %s", pathname);
    return fp;
}

FILE *Fdopen(int fd, const char *type)
{
    FILE *fp = fdopen(fd, type);
    if (fp == nullptr)
        err_sys("fdopen error");
    return fp;
}

void Fclose(FILE *fp)
{
    if (fclose(fp) != 0)
        err_sys("fclose error");
}

}  // extern "C"
