#include "keyring.hpp"

#include <libsecret/secret.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace rdpdoctor::keyring {
namespace {

const SecretSchema* schema() {
  static const SecretSchema s = {"org.rdpdoctor.Password",
                                 SECRET_SCHEMA_NONE,
                                 {{"host", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                  {"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                  {"domain", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                  {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
                                 0,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr};
  return &s;
}

/// Without an address or the systemd user bus socket, glib would try X11 autolaunch: not ours.
bool sessionBusNamed() {
  if (const char* a = std::getenv("DBUS_SESSION_BUS_ADDRESS"); a != nullptr && *a != '\0')
    return true;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::error_code ec;
  return runtime != nullptr && std::filesystem::exists(std::filesystem::path(runtime) / "bus", ec);
}

/// NameHasOwner, else ListActivatableNames, for org.freedesktop.secrets.
bool secretsOnBus(GDBusConnection* bus) {
  GError* err = nullptr;
  GVariant* owned = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE("(b)"),
      G_DBUS_CALL_FLAGS_NONE, 2000, nullptr, &err);
  bool found = false;
  if (owned != nullptr) {
    gboolean has = FALSE;
    g_variant_get(owned, "(b)", &has);
    found = has != FALSE;
    g_variant_unref(owned);
  }
  g_clear_error(&err);
  if (found) return true;
  GVariant* names = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "ListActivatableNames", nullptr, G_VARIANT_TYPE("(as)"), G_DBUS_CALL_FLAGS_NONE, 2000,
      nullptr, &err);
  g_clear_error(&err);
  if (names == nullptr) return false;
  GVariantIter* it = nullptr;
  const gchar* name = nullptr;
  g_variant_get(names, "(as)", &it);
  while (!found && g_variant_iter_next(it, "&s", &name))
    found = std::strcmp(name, "org.freedesktop.secrets") == 0;
  g_variant_iter_free(it);
  g_variant_unref(names);
  return found;
}

}  // namespace

bool available() {
  if (!sessionBusNamed()) return false;
  GError* err = nullptr;
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &err);
  g_clear_error(&err);
  if (bus == nullptr) return false;
  const bool found = secretsOnBus(bus);
  g_object_unref(bus);
  return found;
}

std::optional<std::string> lookup(const Account& a) {
  if (!available()) return std::nullopt;
  GError* err = nullptr;
  gchar* value =
      secret_password_lookup_sync(schema(), nullptr, &err, "host", a.where.c_str(), "user",
                                  a.user.c_str(), "domain", a.domain.c_str(), nullptr);
  g_clear_error(&err);
  if (value == nullptr) return std::nullopt;
  std::string out(value);
  secret_password_free(value);  // wipes it
  return out;
}

bool store(const Account& a, const std::string& password, std::string& why) {
  if (!available()) {
    why = "no Secret Service on the session bus";
    return false;
  }
  const std::string label =
      "rdpdoctor: " + (a.domain.empty() ? "" : a.domain + "\\") + a.user + "@" + a.where;
  GError* err = nullptr;
  const gboolean ok = secret_password_store_sync(
      schema(), SECRET_COLLECTION_DEFAULT, label.c_str(), password.c_str(), nullptr, &err, "host",
      a.where.c_str(), "user", a.user.c_str(), "domain", a.domain.c_str(), nullptr);
  if (err != nullptr) why = err->message;
  g_clear_error(&err);
  return ok != FALSE;
}

}  // namespace rdpdoctor::keyring
