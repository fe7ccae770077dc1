// SPDX-License-Identifier: MIT
// gf_time: the time of day as "hh:mm:ss.uuuuuu", for timestamped output.
#include "unp.h"

extern "C" char *gf_time(void)
{
    thread_local char str[32];  // the book's is static; one per thread here
    struct timeval tv;
    Gettimeofday(&tv, nullptr);
    struct tm tm;
    time_t t = tv.tv_sec;
    localtime_r(&t, &tm);
    snprintf(str, sizeof str, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
             static_cast<long>(tv.tv_usec));
    return str;
}
