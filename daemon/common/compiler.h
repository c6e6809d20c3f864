/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attributes spelled once. The build warns about unused parameters; a
 * callback whose signature a table or a library fixes marks the ones it
 * does not need, as the kernel's __maybe_unused does.
 */
#ifndef N2NK_COMPILER_H
#define N2NK_COMPILER_H

#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

#endif /* N2NK_COMPILER_H */
