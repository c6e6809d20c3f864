// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: the REGISTER_ACK decoder (see decode_msg.h). */
#define FUZZ_MSG_TYPE N2N_MSG_REGISTER_ACK
#include "decode_msg.h"
