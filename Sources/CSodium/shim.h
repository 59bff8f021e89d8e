#ifndef CLIENTPASS_CSODIUM_SHIM_H
#define CLIENTPASS_CSODIUM_SHIM_H
#include <sodium.h>
#endif
