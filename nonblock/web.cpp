// SPDX-License-Identifier: MIT
// web - the book's web client (16.5): fetch a home page, then the files it
// names (its images, say) over several connections at once, each started
// with a non-blocking connect() and driven by one select() loop.
//
// usage: web <#conns> <hostname> <port> <homepage> <file>...
//
//   web 3 127.0.0.1 PORT / /style.css /img/a.png /img/b.png /notes.txt
//
// Observe: the home page is read first with a plain blocking connect; then
// up to #conns connects are started together ("connecting to /x, fd 5"),
// each sends its GET when select() reports its connect done
// ("connection OK for /x"), and the reads of several files interleave
// ("read 4096 bytes of /x").  A new connect starts whenever one file ends,
// so at most #conns are open at any moment.  With #conns 1 it is the plain
// one-at-a-time client, for comparison.  Every request is HTTP/1.0, so the
// server closes each connection after its reply: EOF ends the file.
#include "unp.h"

#include <string>
#include <vector>

enum FileState { F_WAITING, F_CONNECTING, F_READING, F_DONE };

struct File {
    std::string name;  // the path to GET
    int fd = -1;
    FileState state = F_WAITING;
    long nbytes = 0;   // bytes read (headers and body)
};

static const char *host, *port;
static fd_set rset, wset;  // what the main loop waits for, per file
static int maxfd = -1;

static void write_get_cmd(File &f)
{
    std::string line = "GET " + f.name + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
    Writen(f.fd, line.data(), line.size());
    printf("wrote %zu bytes for %s\n", line.size(), f.name.c_str());
    f.state = F_READING;
    FD_SET(f.fd, &rset);  // now wait for the reply
    maxfd = std::max(maxfd, f.fd);
}

static void home_page(const char *fname)
{
    File f;
    char buf[MAXLINE];
    ssize_t n;

    f.name = fname;
    f.fd = Tcp_connect(host, port);  // blocking connect
    printf("connected to %s, port %s for the home page %s\n", host, port, fname);
    write_get_cmd(f);
    FD_CLR(f.fd, &rset);  // read in a blocking loop here, not in select
    while ((n = Read(f.fd, buf, sizeof buf)) > 0)
        f.nbytes += n;
    printf("end-of-file on home page %s (%ld bytes)\n", fname, f.nbytes);
    Close(f.fd);
}

// Starts a non-blocking connect() for f; the loop finishes it.
static void start_connect(File &f)
{
    struct addrinfo hints, *ai;
    int fd, n;

    bzero(&hints, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((n = getaddrinfo(host, port, &hints, &ai)) != 0)
        err_quit("web: %s, %s: %s", host, port, gai_strerror(n));

    fd = Socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    f.fd = fd;
    printf("connecting to %s, fd %d\n", f.name.c_str(), fd);

    Fcntl(fd, F_SETFL, Fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    if ((n = connect(fd, ai->ai_addr, ai->ai_addrlen)) < 0) {
        if (errno != EINPROGRESS)
            err_sys("nonblocking connect error");
        f.state = F_CONNECTING;
        FD_SET(fd, &rset);  // select both ways for the connect's end
        FD_SET(fd, &wset);
        maxfd = std::max(maxfd, fd);
    } else {  // connected at once (possible on loopback)
        write_get_cmd(f);
    }
    freeaddrinfo(ai);
}

// One file is over (EOF or an error): its slot is free for another.
static void finish(File &f, int &nconn, int &nlefttoread)
{
    Close(f.fd);
    FD_CLR(f.fd, &rset);
    FD_CLR(f.fd, &wset);
    f.state = F_DONE;
    nconn--;
    nlefttoread--;
}

int main(int argc, char **argv)
{
    int i, n, maxnconn, nconn, nlefttoconn, nlefttoread, error;
    socklen_t len;
    char buf[MAXLINE];
    fd_set rs, ws;
    std::vector<File> files;

    check_usage(argc, argv, argc >= 6, "usage: web <#conns> <hostname> <port> <homepage> <file>...");
    if ((maxnconn = atoi(argv[1])) < 1 || maxnconn > 100)
        err_usage("web: #conns must be 1 to 100, not %s", argv[1]);
    host = argv[2];
    port = argv[3];
    for (i = 5; i < argc; i++)
        files.push_back(File{argv[i]});
    printf("nfiles = %zu\n", files.size());

    FD_ZERO(&rset);
    FD_ZERO(&wset);
    home_page(argv[4]);

    nlefttoread = nlefttoconn = (int) files.size();
    nconn = 0;
    while (nlefttoread > 0) {
        while (nconn < maxnconn && nlefttoconn > 0) {  // start another connect
            for (i = 0; files[i].state != F_WAITING; i++)
                ;
            start_connect(files[i]);
            nconn++;
            nlefttoconn--;
        }

        rs = rset;
        ws = wset;
        n = Select(maxfd + 1, &rs, &ws, NULL, NULL);

        for (File &f : files) {
            if (f.state == F_DONE || f.state == F_WAITING)
                continue;
            if (f.state == F_CONNECTING && (FD_ISSET(f.fd, &rs) || FD_ISSET(f.fd, &ws))) {
                len = sizeof(error);
                if (getsockopt(f.fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0 || error != 0) {
                    errno = error ? error : errno;
                    err_ret("nonblocking connect failed for %s", f.name.c_str());
                    finish(f, nconn, nlefttoread);
                    continue;
                }
                printf("connection OK for %s, fd %d\n", f.name.c_str(), f.fd);
                FD_CLR(f.fd, &wset);  // no more writeability test
                write_get_cmd(f);
            } else if (f.state == F_READING && FD_ISSET(f.fd, &rs)) {
                ssize_t nr = read(f.fd, buf, sizeof buf);
                if (nr < 0) {  // a reset: this file fails, the others go on
                    err_ret("read error on %s", f.name.c_str());
                    finish(f, nconn, nlefttoread);
                } else if (nr == 0) {
                    printf("end-of-file on %s (%ld bytes)\n", f.name.c_str(), f.nbytes);
                    finish(f, nconn, nlefttoread);
                } else {
                    f.nbytes += nr;
                    printf("read %zd bytes of %s\n", nr, f.name.c_str());
                }
            }
        }
        (void) n;
    }
    exit(0);
}
