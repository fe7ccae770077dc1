// SPDX-License-Identifier: MIT
// unpthread.h's Pthread_* wrappers (they report the code the function
// returned, never a stale errno) and unpifi.h's get_ifi_info.
#include "unpifi.h"
#include "unpthread.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

using ::testing::ExitedWithCode;

namespace {

std::string err(const char *call, int errnum)
{
    return std::string("^") + call + " error: " + strerror(errnum) + "\n$";
}

pthread_key_t key;
pthread_once_t once = PTHREAD_ONCE_INIT;
int once_runs = 0;
void make_key()
{
    once_runs++;
    Pthread_key_create(&key, nullptr);
}

void *worker(void *arg)
{
    Pthread_once(&once, make_key);
    Pthread_setspecific(key, arg);
    return pthread_getspecific(key);  // this thread's own value
}

}  // namespace

TEST(Pthread, CreateJoinOnceAndSpecificData)
{
    int values[2] = {1, 2};
    pthread_t tid[2];
    for (int i = 0; i < 2; i++)
        Pthread_create(&tid[i], nullptr, worker, &values[i]);
    for (int i = 0; i < 2; i++) {
        void *status = nullptr;
        Pthread_join(tid[i], &status);
        EXPECT_EQ(status, &values[i]) << "each thread saw its own value";
    }
    EXPECT_EQ(once_runs, 1);
}

TEST(Pthread, MutexAndConditionVariable)
{
    pthread_mutexattr_t attr;
    Pthread_mutexattr_init(&attr);
    Pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_PRIVATE);
    pthread_mutex_t mutex;
    Pthread_mutex_init(&mutex, &attr);
    pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
    struct Shared {
        pthread_mutex_t *mutex;
        pthread_cond_t *cond;
        bool ready = false;
    } shared{&mutex, &cond};
    pthread_t tid;
    Pthread_create(&tid, nullptr, [](void *arg) -> void * {
        auto *s = static_cast<Shared *>(arg);
        Pthread_mutex_lock(s->mutex);
        s->ready = true;
        Pthread_cond_signal(s->cond);
        Pthread_mutex_unlock(s->mutex);
        return nullptr;
    }, &shared);
    Pthread_mutex_lock(&mutex);
    while (!shared.ready)
        Pthread_cond_wait(&cond, &mutex);
    timespec past{0, 0};  // long gone: times out at once
    EXPECT_EQ(Pthread_cond_timedwait(&cond, &mutex, &past), ETIMEDOUT);
    Pthread_cond_broadcast(&cond);
    Pthread_mutex_unlock(&mutex);
    Pthread_join(tid, nullptr);
    EXPECT_TRUE(shared.ready);
}

TEST(PthreadDeathTest, ReportsTheReturnedCodeNotErrno)
{
    // errno holds ENOENT throughout: the messages must name the code each
    // function returned instead.
    EXPECT_EXIT(
        {
            pthread_t tid;
            Pthread_create(&tid, nullptr, [](void *) -> void * { return nullptr; }, nullptr);
            Pthread_detach(tid);
            errno = ENOENT;
            Pthread_join(tid, nullptr);  // a detached thread cannot be joined
        },
        ExitedWithCode(1), err("pthread_join", EINVAL));
    EXPECT_EXIT(
        {
            pthread_mutexattr_t attr;
            Pthread_mutexattr_init(&attr);
            pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
            pthread_mutex_t m;
            Pthread_mutex_init(&m, &attr);
            errno = ENOENT;
            Pthread_mutex_unlock(&m);  // not locked by this thread
        },
        ExitedWithCode(1), err("pthread_mutex_unlock", EPERM));
    EXPECT_EXIT(
        {
            errno = ENOENT;
            Pthread_kill(pthread_self(), 12345);
        },
        ExitedWithCode(1), err("pthread_kill", EINVAL));
    EXPECT_EXIT(
        {
            pthread_mutexattr_t attr;
            Pthread_mutexattr_init(&attr);
            errno = ENOENT;
            Pthread_mutexattr_setpshared(&attr, 12345);
        },
        ExitedWithCode(1), err("pthread_mutexattr_setpshared", EINVAL));
}

TEST(GetIfiInfo, ListsLoopbackWith127001)
{
    ifi_info *head = Get_ifi_info(AF_INET, 1);
    bool found = false;
    for (ifi_info *ifi = head; ifi != nullptr; ifi = ifi->ifi_next) {
        if (strcmp(ifi->ifi_name, "lo") != 0 || (ifi->ifi_myflags & IFI_ALIAS))
            continue;
        found = true;
        EXPECT_STREQ(Sock_ntop_host(ifi->ifi_addr, sizeof(sockaddr_in)), "127.0.0.1");
        EXPECT_EQ(ifi->ifi_index, static_cast<short>(If_nametoindex("lo")));
        EXPECT_TRUE(ifi->ifi_flags & IFF_LOOPBACK);
        EXPECT_TRUE(ifi->ifi_flags & IFF_UP);
        EXPECT_GT(ifi->ifi_mtu, 0);
        EXPECT_EQ(ifi->ifi_brdaddr, nullptr) << "lo does not broadcast";
    }
    EXPECT_TRUE(found) << "lo with 127.0.0.1";
    free_ifi_info(head);
}

TEST(GetIfiInfo, Ipv6LoopbackWhereIpv6IsOn)
{
    std::ifstream in("/proc/net/if_inet6");
    std::string line;
    bool has_v6_lo = false;
    while (std::getline(in, line))
        has_v6_lo = has_v6_lo || line.rfind("00000000000000000000000000000001", 0) == 0;
    if (!has_v6_lo)
        GTEST_SKIP() << "no ::1 in /proc/net/if_inet6: IPv6 is off here";
    ifi_info *head = Get_ifi_info(AF_INET6, 0);
    bool found = false;
    for (ifi_info *ifi = head; ifi != nullptr; ifi = ifi->ifi_next)
        found = found || (strcmp(ifi->ifi_name, "lo") == 0 &&
                          strcmp(Sock_ntop_host(ifi->ifi_addr, sizeof(sockaddr_in6)), "::1") == 0);
    EXPECT_TRUE(found) << "lo with ::1";
    free_ifi_info(head);
}

TEST(GetIfiInfoDeathTest, UnknownFamily)
{
    EXPECT_EXIT(Get_ifi_info(AF_UNIX, 0), ExitedWithCode(1), err("get_ifi_info", EAFNOSUPPORT));
}
