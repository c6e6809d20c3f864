// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: the PACKET decoder (see decode_msg.h). */
#define FUZZ_MSG_TYPE N2N_MSG_PACKET
#include "decode_msg.h"
