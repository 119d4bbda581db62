/* SPDX-License-Identifier: MIT */
/* store_impl.h: the store handle, for backends only (not for callers). */
#ifndef STORAGE_STORE_IMPL_H
#define STORAGE_STORE_IMPL_H

#include "storage/store.h"

struct store {
	const struct store_ops *ops;
	void *priv; /* the backend's state */
};

#endif
