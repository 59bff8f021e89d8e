#ifndef CLIENTPASS_CLDAP_SHIM_H
#define CLIENTPASS_CLDAP_SHIM_H
#include <ldap.h>
#endif
