/* SPDX-License-Identifier: MIT */
/*
 * admin_users.h: the administrators service: the built-in roles, users and
 * their passwords, roles and their permissions, with Strapi's validation
 * (yup's words, strict mode, every error reported) and Strapi's rules. The
 * Admin API (api/admin_users.c) and the CLI (cli/cmd_admin.c) both go
 * through it, so they validate alike.
 *
 * Invariants kept here:
 *  - after admin_bootstrap(), the Super Admin role exists; Editor and
 *    Author are created with it on the first start (and stay deleted once
 *    an operator deletes them, as in Strapi);
 *  - emails are stored lower-cased and are unique;
 *  - passwords are stored only as argon2id hashes (crypto/password.h);
 *    the service makes no copy of a plaintext: the caller owns (and
 *    wipes) the one it passes;
 *  - at least one active super admin remains: no update or deletion may
 *    leave the store without an active, unblocked user holding the Super
 *    Admin role when the user changed was one;
 *  - the Super Admin role is never renamed, deleted, or given permission
 *    rows: super admins are allowed everything by rbac.
 *
 * Bodies are borrowed JSON values exactly as the client sent them (NULL
 * for no body, taken as {}). A function filling '*out' initialises it
 * first; on success the caller releases it (admin_user_release(),
 * admin_role_release(), admin_permissions_free()); on failure it is left
 * empty.
 *
 * Errors (returned and filled into 'e'):
 *   ERR_VALIDATION  400 ValidationError, details.errors in yup's shape;
 *   ERR_APPLICATION 400 ApplicationError (Strapi's message);
 *   ERR_BAD_REQUEST 400 BadRequestError (a wrong current password);
 *   ERR_NOT_FOUND   404 NotFoundError ("User does not exist", ...);
 *   ERR_POLICY      403 PolicyError: a grant beyond the caller's ceiling;
 *   ERR_STORAGE / ERR_UNAVAILABLE / ERR_INTERNAL: 500 / 503 / 500.
 *
 * Ceilings: functions that assign roles or grant permissions take the
 * caller's permissions ('ceiling'; rbac_set.super_admin for a Super Admin
 * session). A caller may not assign a role, nor give a role permissions,
 * beyond what it holds itself (Strapi's permission ceiling), and only a
 * super admin may hand out the Super Admin role. NULL means no ceiling:
 * the CLI, run by the operator.
 *
 * Not supported (documented differences): tollgate sends no email, so a
 * user created without a password is pending (inactive, no registration
 * token) until an operator sets one with PUT /admin/users/:id or
 * 'tollgate admin reset-password', which activates a pending user;
 * permission conditions do not exist (any is refused); properties are
 * stored but only (action, subject) is enforced. Changing a password does
 * not end the user's other sessions.
 *
 * Thread-safe and process-safe: the service keeps no state of its own.
 * Decisions that read then write (one first admin, an active super admin
 * remains, batch deletions) run in one write transaction
 * (store_begin()), so concurrent requests or a concurrent CLI cannot both
 * pass the check. Password hashing happens before the transaction.
 */
#ifndef AUTH_ADMIN_USERS_H
#define AUTH_ADMIN_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "auth/rbac.h"
#include "core/err.h"
#include "storage/store.h"

#define ADMIN_SUPER_ADMIN_NAME "Super Admin"
#define ADMIN_SUPER_ADMIN_DESCRIPTION                                          \
	"Super Admins can access and manage all features and settings."
#define ADMIN_EDITOR_NAME "Editor"
#define ADMIN_EDITOR_DESCRIPTION                                               \
	"Editors can manage and publish contents including those of other "    \
	"users."
#define ADMIN_AUTHOR_NAME "Author"
#define ADMIN_AUTHOR_DESCRIPTION                                               \
	"Authors can manage the content they have created."

/* GET /admin/users: the default and largest page sizes. */
#define ADMIN_USERS_PAGE_SIZE 10
#define ADMIN_USERS_MAX_PAGE_SIZE 100

/*
 * Make sure the built-in roles exist (see the invariants above); a role
 * created here gets rbac_default_permissions(). Idempotent and cheap (two
 * lookups) when nothing is missing; safe against another process doing the
 * same at once. Called by app_open() and the CLI.
 */
int admin_bootstrap(struct app *app, struct err *e);

/* Whether 'u' (roles loaded) holds the Super Admin role. */
bool admin_user_is_super_admin(const struct admin_user *u);

/* Whether any administrator exists (GET /admin/init's hasAdmin). */
int admin_users_exist(struct app *app, bool *exist, struct err *e);

/*
 * POST /admin/register-admin: validate {email, password, firstname,
 * lastname} as Strapi (the email must already be lower-case there), then
 * create the first administrator, active, with the Super Admin role.
 * ERR_APPLICATION "You cannot register a new super admin" once any
 * administrator exists. '*out' has its roles loaded.
 */
int admin_users_register_first(struct app *app, json_t *body,
			       struct admin_user *out, struct err *e);

/*
 * POST /admin/login credentials: {email, password}. ERR_APPLICATION with
 * "Missing credentials" (either is missing or empty), "Invalid credentials"
 * (unknown email, no password set, wrong password) or "User not active"
 * (inactive or blocked; said only once the password matched). An unknown
 * email costs one argon2id verification like a known one, so timing does
 * not tell them apart. '*out' has its roles loaded.
 */
int admin_users_login(struct app *app, json_t *body, struct admin_user *out,
		      struct err *e);

/*
 * POST /admin/users: {email (lower-cased first), firstname, lastname?,
 * roles: [ids] (required, at least one, each existing), preferedLanguage?,
 * password?, isActive?}. With a password the user is active unless isActive
 * is false; without one it is inactive and isActive:true is refused.
 * ERR_APPLICATION "Email already taken" for a used email.
 */
int admin_users_create(struct app *app, json_t *body,
		       const struct rbac_set *ceiling, struct admin_user *out,
		       struct err *e);

/*
 * PUT /admin/users/:id: any of email (lower-cased first), firstname,
 * lastname, username, password, isActive, blocked, roles, preferedLanguage.
 * ERR_NOT_FOUND "User does not exist"; ERR_APPLICATION "A user with this
 * email address already exists"; ERR_VALIDATION "You must have at least one
 * user with super admin role." when the change would leave no active super
 * admin. Deactivating or blocking takes effect on the user's next request.
 * Setting the first password of a pending user also activates it, unless
 * the body says isActive. A change of roles re-clamps the user's admin
 * tokens (token_service_admin_reclamp()).
 */
int admin_users_update(struct app *app, int64_t id, json_t *body,
		       const struct rbac_set *ceiling, struct admin_user *out,
		       struct err *e);

/*
 * PUT /admin/users/me for user 'id': email, firstname, lastname, username,
 * password (then currentPassword is required and must match:
 * ERR_BAD_REQUEST "ValidationError" with details
 * {"currentPassword":["Invalid credentials"]}, as Strapi answers),
 * preferedLanguage.
 */
int admin_users_update_profile(struct app *app, int64_t id, json_t *body,
			       struct admin_user *out, struct err *e);

/*
 * DELETE /admin/users/:id: '*out' is the deleted user (roles loaded).
 * ERR_NOT_FOUND "User not found"; ERR_VALIDATION for the last super admin.
 * The user's sessions and admin tokens go with them.
 */
int admin_users_delete(struct app *app, int64_t id, struct admin_user *out,
		       struct err *e);

/*
 * POST /admin/users/batch-delete {ids:[...]}: delete every listed user
 * that exists, refusing the whole batch (nothing deleted) when it holds
 * 'self_id' ("You cannot delete your own user") or every active super
 * admin. '*out' is a new array of the '*n' deleted users.
 */
int admin_users_delete_many(struct app *app, json_t *body, int64_t self_id,
			    struct admin_user **out, size_t *n, struct err *e);

/*
 * `tollgate admin reset-password`: set the password of the user with
 * 'email' (compared case-insensitively) after checking the password rules
 * (ERR_VALIDATION, "password is a required field" for ""). A pending user
 * (no password yet) becomes active; a deactivated or blocked one stays so.
 * ERR_NOT_FOUND when no such user.
 */
int admin_users_reset_password(struct app *app, const char *email,
			       const char *password, struct err *e);

/*
 * GET /admin/users/me/permissions for 'u' (roles loaded): a super admin
 * gets one permission per catalogue action (per content type for
 * subject-bound actions, with every field for create/read/update), numbered
 * from 1; anyone else the rows of all their roles.
 */
int admin_users_permissions(struct app *app, const struct admin_user *u,
			    struct admin_permission **out, size_t *n,
			    struct err *e);

/*
 * POST /admin/roles {name, description?}: the code is made from the name
 * ("<kebab-name>-<base36 ms>"), as Strapi's. ERR_APPLICATION "The name must
 * be unique and a role with name `X` already exists."
 */
int admin_roles_create(struct app *app, json_t *body, struct admin_role *out,
		       struct err *e);

/*
 * PUT /admin/roles/:id {name?, description?}. ERR_NOT_FOUND "role.notFound";
 * ERR_APPLICATION "Super admin can't be edited." or a taken name.
 */
int admin_roles_update(struct app *app, int64_t id, json_t *body,
		       struct admin_role *out, struct err *e);

/*
 * DELETE /admin/roles/:id, 'id_text' as given in the path. A role that
 * does not exist is no error: '*deleted' is false (Strapi answers
 * {data:null}). ERR_VALIDATION on path ["id"] with "You cannot delete the
 * super admin role" or "Some roles are still assigned to some users".
 */
int admin_roles_delete(struct app *app, const char *id_text,
		       struct admin_role *out, bool *deleted, struct err *e);

/*
 * POST /admin/roles/batch-delete {ids:[...]}: the same checks for every id
 * first (path ["ids"]), then the deletion. '*out' is a new array of the
 * '*n' roles deleted.
 */
int admin_roles_delete_many(struct app *app, json_t *body,
			    struct admin_role **out, size_t *n, struct err *e);

/*
 * PUT /admin/roles/:id/permissions {permissions:[{action, subject?,
 * properties?, conditions?, actionParameters?}]}: validated against the
 * catalogue (rbac_valid) with Strapi's messages, then the role's whole set
 * is replaced; '*out' is the new set as stored, and every admin token
 * loses what its owner no longer holds. ERR_NOT_FOUND
 * "role.notFound"; ERR_APPLICATION "Super admin permissions can't be
 * edited."; ERR_POLICY beyond the ceiling.
 */
int admin_roles_set_permissions(struct app *app, int64_t id, json_t *body,
				const struct rbac_set *ceiling,
				struct admin_permission **out, size_t *n,
				struct err *e);

#endif
