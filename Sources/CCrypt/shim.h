#ifndef CLIENTPASS_CCRYPT_SHIM_H
#define CLIENTPASS_CCRYPT_SHIM_H
#include <crypt.h>
#endif
