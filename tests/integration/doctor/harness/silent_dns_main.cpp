// rdpdoctor-silent-dns CMD ARGS...: runs CMD where the only DNS server takes every query and
// answers none (a resolver behind a dead VPN, a black-holed port 53). A private mount and network
// namespace (needs root, as the lab does): /etc/resolv.conf names 127.0.0.1, whose port 53 (UDP
// and TCP) is bound here and never read; the sockets stay open across exec. Only loopback exists
// inside, so nothing else is reachable either.
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace {

int fail(const char* what) {
  std::fprintf(stderr, "rdpdoctor-silent-dns: %s: %s\n", what, std::strerror(errno));
  return 70;
}

bool loopbackUp() {
  const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  ok = ok && ::ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
  ::close(s);
  return ok;
}

/// A socket on 127.0.0.1:53 that is never read (TCP: listening, never accepting).
bool silentPort(int type) {
  const int s = ::socket(AF_INET, type, 0);
  if (s < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(53);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(s, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return false;
  return type != SOCK_STREAM || ::listen(s, 16) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: rdpdoctor-silent-dns CMD [ARGS...]\n");
    return 2;
  }
  if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0) return fail("unshare");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return fail("private mounts");
  char dir[] = "/tmp/rdpdoctor-silent-dns-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return fail("mkdtemp");
  const std::string conf = std::string(dir) + "/resolv.conf";
  std::ofstream(conf) << "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n";
  const bool mounted = ::mount(conf.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) == 0;
  const int mountErrno = errno;
  ::unlink(conf.c_str());  // the bind mount keeps it
  ::rmdir(dir);
  errno = mountErrno;
  if (!mounted) return fail("bind /etc/resolv.conf");
  if (!loopbackUp()) return fail("loopback up");
  if (!silentPort(SOCK_DGRAM) || !silentPort(SOCK_STREAM)) return fail("bind 127.0.0.1:53");
  ::execvp(argv[1], argv + 1);
  return fail("exec");
}
