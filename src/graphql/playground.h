/* SPDX-License-Identifier: MIT */
/*
 * playground.h: the HTML page GET /graphql answers to a browser, in place
 * of Apollo Server's production landing page (what Strapi sends in
 * production).
 */
#ifndef GRAPHQL_PLAYGROUND_H
#define GRAPHQL_PLAYGROUND_H

/* The landing page; a static string. */
const char *gql_landing_html(void);

#endif
