/* SPDX-License-Identifier: MIT */
/*
 * test_schema.c: the content-type registry: loading the fixture project,
 * fields and columns, actions and lookups, and every schema.json mistake
 * the loader refuses (written to a temporary project directory).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "schema/schema.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

/* TOLLGATE_FIXTURES, else tests/fixtures next to this source file. */
static char *
fixtures_dir(void)
{
	const char *env = getenv("TOLLGATE_FIXTURES");
	const char *slash;

	if (env && *env)
		return xstrdup(env);
	slash = strrchr(__FILE__, '/');
	if (!slash)
		return xstrdup("../fixtures");
	return xasprintf("%.*s/../fixtures", (int)(slash - __FILE__),
			 __FILE__);
}

static void
load_fixtures(struct schema_registry *reg)
{
	struct err e = ERR_INIT;
	char *dir = fixtures_dir();

	schema_registry_init(reg);
	if (schema_registry_load(reg, dir, &e) != 0)
		fail_msg("loading %s: %s", dir, e.msg);
	free(dir);
}

/* ---- the fixture project ---------------------------------------------- */

static void
test_load_fixtures(void **state)
{
	struct schema_registry reg;

	(void)state;
	load_fixtures(&reg);
	assert_int_equal(reg.n_types, 4);
	/* sorted by uid */
	assert_string_equal(reg.types[0].uid, "api::article.article");
	assert_string_equal(reg.types[1].uid, "api::homepage.homepage");
	assert_string_equal(reg.types[2].uid, "api::post.post");
	assert_string_equal(reg.types[3].uid, "api::product.product");

	assert_false(reg.types[0].single);
	assert_true(reg.types[1].single);
	assert_false(reg.types[1].draft_publish);
	assert_true(reg.types[2].draft_publish);
	assert_false(reg.types[3].draft_publish);

	assert_string_equal(reg.types[3].api_name, "product");
	assert_string_equal(reg.types[3].singular, "product");
	assert_string_equal(reg.types[3].plural, "products");
	assert_string_equal(reg.types[3].display_name, "Product");
	assert_string_equal(reg.types[3].table, "products");
	assert_string_equal(reg.types[1].table, "homepages");
	assert_string_equal(
		reg.types[3].source_file,
		"src/api/product/content-types/product/schema.json");
	schema_registry_release(&reg);
	assert_int_equal(reg.n_types, 0);
	assert_null(reg.types);
	assert_null(reg.actions);
}

static void
test_fields_layout(void **state)
{
	static const struct {
		const char *name, *column;
		enum attr_type type;
	} want[] = {
		{ "id", "id", ATTR_INTEGER },
		{ "documentId", "document_id", ATTR_STRING },
		{ "name", "name", ATTR_STRING },
		{ "sku", "sku", ATTR_STRING },
		{ "description", "description", ATTR_TEXT },
		{ "content", "content", ATTR_RICHTEXT },
		{ "contact", "contact", ATTR_EMAIL },
		{ "slug", "slug", ATTR_UID },
		{ "category", "category", ATTR_ENUMERATION },
		{ "stock", "stock", ATTR_INTEGER },
		{ "bigValue", "big_value", ATTR_BIGINTEGER },
		{ "price", "price", ATTR_FLOAT },
		{ "amount", "amount", ATTR_DECIMAL },
		{ "active", "active", ATTR_BOOLEAN },
		{ "releaseDate", "release_date", ATTR_DATE },
		{ "openingTime", "opening_time", ATTR_TIME },
		{ "launchAt", "launch_at", ATTR_DATETIME },
		{ "meta", "meta", ATTR_JSON },
		{ "secretNote", "secret_note", ATTR_STRING },
		{ "createdAt", "created_at", ATTR_DATETIME },
		{ "updatedAt", "updated_at", ATTR_DATETIME },
		{ "publishedAt", "published_at", ATTR_DATETIME },
	};
	static const enum sys_field sys[] = {
		SYS_ID, SYS_DOCUMENT_ID, SYS_CREATED_AT, SYS_UPDATED_AT,
		SYS_PUBLISHED_AT,
	};
	struct schema_registry reg;
	const struct content_type *ct;
	const struct field *f;
	size_t i;

	(void)state;
	load_fixtures(&reg);
	ct = schema_find_uid(&reg, "api::product.product");
	assert_non_null(ct);
	assert_int_equal(ct->n_fields, ARRAY_SIZE(want));
	assert_int_equal(ct->n_attrs, 17);
	assert_ptr_equal(ct->attrs, ct->fields + 2);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		f = &ct->fields[i];
		assert_string_equal(f->name, want[i].name);
		assert_string_equal(f->column, want[i].column);
		assert_int_equal(f->type, want[i].type);
		if (i < 2 || i >= 19) {
			assert_true(f->flags & FIELD_SYSTEM);
			assert_int_equal(f->sys,
					 sys[i < 2 ? i : i - 17]);
		} else {
			assert_false(f->flags & FIELD_SYSTEM);
			assert_int_equal(f->sys, SYS_NONE);
		}
	}

	f = schema_field(ct, "name");
	assert_int_equal(f->flags, FIELD_REQUIRED | FIELD_UNIQUE);
	assert_int_equal(f->min_length, 2);
	assert_int_equal(f->max_length, 40);
	assert_false(f->has_min);
	f = schema_field(ct, "sku");
	assert_string_equal(f->regex_src, "^[A-Z]{3}-[0-9]+$");
	assert_int_equal(regexec(&f->regex, "ABC-12", 0, NULL, 0), 0);
	assert_int_not_equal(regexec(&f->regex, "abc-1", 0, NULL, 0), 0);
	assert_int_equal(f->min_length, -1);
	f = schema_field(ct, "slug");
	assert_string_equal(f->target_field, "name");
	f = schema_field(ct, "category");
	assert_int_equal(f->n_enum, 3);
	assert_string_equal(f->enum_values[0], "alpha");
	assert_string_equal(f->enum_values[2], "gamma");
	assert_string_equal(json_string_value(f->default_value), "alpha");
	f = schema_field(ct, "stock");
	assert_true(f->has_min && f->has_max);
	assert_true(f->min == 0 && f->max == 1000);
	f = schema_field(ct, "active");
	assert_true(json_is_true(f->default_value));
	f = schema_field(ct, "secretNote");
	assert_int_equal(f->flags, FIELD_PRIVATE);
	assert_null(schema_field(ct, "nope"));
	assert_ptr_equal(schema_field(ct, "publishedAt"), &ct->fields[21]);

	ct = schema_find_uid(&reg, "api::homepage.homepage");
	assert_int_equal(ct->n_fields, 8);
	assert_true(schema_field(ct, "heading")->flags & FIELD_REQUIRED);
	schema_registry_release(&reg);
}

static void
test_actions(void **state)
{
	struct schema_registry reg;
	const struct content_type *home, *prod;
	unsigned a;

	(void)state;
	load_fixtures(&reg);
	assert_int_equal(reg.n_actions, 4 * ACTION_COUNT_);
	assert_string_equal(reg.actions[0], "api::article.article.find");
	assert_string_equal(reg.actions[1], "api::article.article.findOne");
	assert_string_equal(reg.actions[2], "api::article.article.create");
	assert_string_equal(reg.actions[3], "api::article.article.update");
	assert_string_equal(reg.actions[4], "api::article.article.delete");

	home = schema_find_singular(&reg, "homepage");
	assert_int_equal(home->action_base, 5);
	assert_string_equal(reg.actions[5], "api::homepage.homepage.find");
	assert_null(reg.actions[6]);
	assert_null(reg.actions[7]);
	assert_string_equal(reg.actions[8], "api::homepage.homepage.update");
	assert_string_equal(reg.actions[9], "api::homepage.homepage.delete");

	prod = schema_find_plural(&reg, "products");
	assert_int_equal(prod->action_base, 15);
	for (a = 0; a < ACTION_COUNT_; a++) {
		char *uid = xasprintf("api::product.product.%s",
				      schema_action_name((enum ct_action)a));

		assert_int_equal(schema_action_index(&reg, uid),
				 (int)(prod->action_base + a));
		assert_string_equal(reg.actions[prod->action_base + a], uid);
		assert_true(schema_has_action(prod, (enum ct_action)a));
		free(uid);
	}
#define INDEX(uid) schema_action_index(&reg, (uid))
	assert_int_equal(INDEX("api::homepage.homepage.find"), 5);
	assert_int_equal(INDEX("api::homepage.homepage.findOne"), -1);
	assert_int_equal(INDEX("api::homepage.homepage.create"), -1);
	assert_int_equal(INDEX("api::homepage.homepage.delete"), 9);
	assert_int_equal(INDEX("api::nope.nope.find"), -1);
	assert_int_equal(INDEX("api::product.product.bogus"), -1);
	assert_int_equal(schema_action_index(&reg, "api::product.find"), -1);
	assert_int_equal(schema_action_index(&reg, "find"), -1);
	assert_int_equal(schema_action_index(&reg, ""), -1);
	assert_int_equal(schema_action_index(&reg, NULL), -1);
	assert_int_equal(INDEX("api::product.productx.find"), -1);
#undef INDEX

	assert_false(schema_has_action(home, ACTION_FIND_ONE));
	assert_false(schema_has_action(home, ACTION_CREATE));
	assert_true(schema_has_action(home, ACTION_FIND));
	assert_true(schema_has_action(home, ACTION_UPDATE));
	assert_true(schema_has_action(home, ACTION_DELETE));
	assert_false(schema_has_action(prod, ACTION_COUNT_));

	assert_string_equal(schema_action_name(ACTION_FIND), "find");
	assert_string_equal(schema_action_name(ACTION_FIND_ONE), "findOne");
	assert_string_equal(schema_action_name(ACTION_CREATE), "create");
	assert_string_equal(schema_action_name(ACTION_UPDATE), "update");
	assert_string_equal(schema_action_name(ACTION_DELETE), "delete");
	assert_null(schema_action_name(ACTION_COUNT_));

	/* finish() again rebuilds the same list */
	schema_registry_finish(&reg);
	assert_int_equal(reg.n_actions, 20);
	assert_string_equal(reg.actions[19], "api::product.product.delete");
	schema_registry_release(&reg);
}

static void
test_lookups(void **state)
{
	struct schema_registry reg;

	(void)state;
	load_fixtures(&reg);
	assert_string_equal(schema_find_plural(&reg, "articles")->uid,
			    "api::article.article");
	assert_string_equal(schema_find_singular(&reg, "post")->uid,
			    "api::post.post");
	assert_null(schema_find_plural(&reg, "article"));
	assert_null(schema_find_singular(&reg, "posts"));
	assert_null(schema_find_uid(&reg, "api::post"));
	assert_null(schema_find_plural(&reg, "nothing"));
	/* lookups match any kind; routers check ->single */
	assert_true(schema_find_plural(&reg, "homepages")->single);
	assert_string_equal(attr_type_name(ATTR_STRING), "string");
	assert_string_equal(attr_type_name(ATTR_BIGINTEGER), "biginteger");
	assert_string_equal(attr_type_name(ATTR_DATETIME), "datetime");
	assert_string_equal(attr_type_name(ATTR_JSON), "json");
	schema_registry_release(&reg);
}

/* ---- temporary projects ----------------------------------------------- */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	mkdir(p, 0700);
	free(p);
}

static void
write_schema(const char *root, const char *api, const char *name,
	     const char *text)
{
	char *dir = xasprintf("%s/src/api/%s/content-types/%s", root, api,
			      name);
	char *file = xasprintf("%s/schema.json", dir);
	FILE *fp;

	mkdirs(dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(file);
	free(dir);
}

static char *
temp_project(void)
{
	char tmpl[] = "/tmp/tollgate-schema-XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return xstrdup(d);
}

/* A product schema whose attributes object is 'attrs'. */
static char *
with_attrs(const char *attrs)
{
	return xasprintf("{\"kind\":\"collectionType\",\"collectionName\":"
			 "\"products\",\"info\":{\"singularName\":\"product\","
			 "\"pluralName\":\"products\",\"displayName\":"
			 "\"Product\"},\"options\":{\"draftAndPublish\":false},"
			 "\"attributes\":%s}",
			 attrs);
}

#define PRODUCT_FILE "src/api/product/content-types/product/schema.json"

/* Load a project holding one product schema; expect 'msg'. */
static void
expect_schema_error(const char *schema, const char *msg)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	char *root = temp_project();

	write_schema(root, "product", "product", schema);
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), ERR_VALIDATION);
	assert_string_equal(e.msg, msg);
	assert_null(e.details);
	schema_registry_release(&reg);
	err_release(&e);
	rm_tree(root);
	free(root);
}

static void
expect_attr_error(const char *attrs, const char *msg)
{
	char *schema = with_attrs(attrs);
	char *full = xasprintf("%s: %s", PRODUCT_FILE, msg);

	expect_schema_error(schema, full);
	free(full);
	free(schema);
}

static void
test_missing_project_is_empty(void **state)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	char *root = temp_project(), *dir;

	(void)state;
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), 0);
	assert_int_equal(reg.n_types, 0);
	assert_int_equal(reg.n_actions, 0);
	schema_registry_release(&reg);

	/* an API folder without content-types, and stray files, are skipped */
	dir = xasprintf("%s/src/api/empty/routes", root);
	mkdirs(dir);
	free(dir);
	write_schema(root, "article", "article",
		     "{\"kind\":\"collectionType\",\"info\":{\"singularName\":"
		     "\"article\",\"pluralName\":\"articles\"},"
		     "\"attributes\":{}}");
	dir = xasprintf("%s/src/api/article/content-types/README", root);
	fclose(fopen(dir, "w"));
	free(dir);
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), 0);
	assert_int_equal(reg.n_types, 1);
	assert_int_equal(reg.types[0].n_attrs, 0);
	assert_int_equal(reg.types[0].n_fields, 5);
	/* no collectionName: the plural name; no displayName: the singular */
	assert_string_equal(reg.types[0].table, "articles");
	assert_string_equal(reg.types[0].display_name, "article");
	assert_false(reg.types[0].draft_publish);
	schema_registry_release(&reg);
	rm_tree(root);
	free(root);
}

static void
test_folder_name_is_uid(void **state)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	char *root = temp_project();

	(void)state;
	/* uid = api::<api folder>.<content-types folder> */
	write_schema(root, "shop", "item",
		     "{\"kind\":\"singleType\",\"info\":{\"singularName\":"
		     "\"shop-item\",\"pluralName\":\"shop-items\"},"
		     "\"attributes\":{\"title\":{\"type\":\"string\"}}}");
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), 0);
	assert_string_equal(reg.types[0].uid, "api::shop.item");
	assert_string_equal(reg.types[0].table, "shop_items");
	assert_string_equal(reg.actions[0], "api::shop.item.find");
	assert_int_equal(schema_action_index(&reg, "api::shop.item.update"), 3);
	schema_registry_release(&reg);
	rm_tree(root);
	free(root);
}

static void
test_add_directly(void **state)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	json_t *j;

	(void)state;
	schema_registry_init(&reg);
	j = json_loads("{\"kind\":\"collectionType\",\"info\":{"
		       "\"singularName\":\"zebra\",\"pluralName\":\"zebras\"},"
		       "\"attributes\":{\"n\":{\"type\":\"integer\"}}}",
		       0, NULL);
	/* a source file of another shape: the singular name is used */
	assert_int_equal(schema_registry_add(&reg, "zoo", "inline", j, &e), 0);
	json_decref(j);
	j = json_loads("{\"kind\":\"collectionType\",\"info\":{"
		       "\"singularName\":\"ant\",\"pluralName\":\"ants\"},"
		       "\"attributes\":{}}",
		       0, NULL);
	assert_int_equal(schema_registry_add(&reg, "zoo", "x.json", j, &e), 0);
	/* the same type again */
	assert_int_equal(schema_registry_add(&reg, "zoo", "y.json", j, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "y.json: content type 'api::zoo.ant' is "
				   "defined twice");
	json_decref(j);
	schema_registry_finish(&reg);
	assert_string_equal(reg.types[0].uid, "api::zoo.ant");
	assert_string_equal(reg.types[1].uid, "api::zoo.zebra");
	assert_int_equal(reg.types[1].action_base, 5);
	assert_string_equal(reg.actions[5], "api::zoo.zebra.find");
	/* not an object */
	j = json_string("x");
	assert_int_equal(schema_registry_add(&reg, "zoo", "z.json", j, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "z.json: not a JSON object");
	json_decref(j);
	schema_registry_release(&reg);
	err_release(&e);
}

static void
test_column_names(void **state)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	const struct content_type *ct;
	char *root = temp_project();
	char *schema = with_attrs(
		"{\"APIKey\":{\"type\":\"string\"},\"value2\":{\"type\":"
		"\"integer\"},\"myURLValue\":{\"type\":\"string\"},"
		"\"simple\":{\"type\":\"text\"},\"snake_name\":{\"type\":"
		"\"text\"},\"TITLE\":{\"type\":\"string\"},\"a1b\":{\"type\":"
		"\"string\"}}");

	(void)state;
	write_schema(root, "product", "product", schema);
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), 0);
	ct = &reg.types[0];
	assert_string_equal(schema_field(ct, "APIKey")->column, "api_key");
	assert_string_equal(schema_field(ct, "value2")->column, "value_2");
	assert_string_equal(schema_field(ct, "myURLValue")->column,
			    "my_url_value");
	assert_string_equal(schema_field(ct, "simple")->column, "simple");
	assert_string_equal(schema_field(ct, "snake_name")->column,
			    "snake_name");
	assert_string_equal(schema_field(ct, "TITLE")->column, "title");
	assert_string_equal(schema_field(ct, "a1b")->column, "a_1_b");
	schema_registry_release(&reg);
	free(schema);
	rm_tree(root);
	free(root);
}

/* Compile 'src' as a string attribute's regex; NULL on success. */
static void
regex_case(const char *src, const char *const *yes, const char *const *no)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	json_t *attrs, *schema;
	const struct field *f;

	attrs = json_pack("{s:{s:s,s:s}}", "code", "type", "string", "regex",
			  src);
	schema = json_pack("{s:s,s:{s:s,s:s},s:o}", "kind", "collectionType",
			   "info", "singularName", "thing", "pluralName",
			   "things", "attributes", attrs);
	schema_registry_init(&reg);
	if (schema_registry_add(&reg, "thing", "t.json", schema, &e) != 0)
		fail_msg("regex %s: %s", src, e.msg);
	f = &reg.types[0].attrs[0];
	for (; *yes; yes++)
		if (regexec(&f->regex, *yes, 0, NULL, 0) != 0)
			fail_msg("regex %s should match '%s'", src, *yes);
	for (; *no; no++)
		if (regexec(&f->regex, *no, 0, NULL, 0) == 0)
			fail_msg("regex %s should not match '%s'", src, *no);
	schema_registry_release(&reg);
	json_decref(schema);
}

static void
test_js_regex_translation(void **state)
{
	(void)state;
#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
	regex_case("^\\d{3}$", L("123"), L("12a", "1234", "d"));
	regex_case("^\\D+$", L("abc"), L("a1"));
	regex_case("^\\w+$", L("a_1Z"), L("a-b", ""));
	regex_case("^\\S+\\s\\S+$", L("a b", "a\tb"), L("ab", "a  b"));
	regex_case("^[\\w.-]+@x$", L("a.b-c@x"), L("a b@x"));
	regex_case("^[\\d\\s]+$", L("1 2"), L("1a"));
	regex_case("^(?:ab)+?c$", L("ababc"), L("abab"));
	regex_case("^(?<year>\\d{4})$", L("2024"), L("24"));
	regex_case("^a.c$", L("abc", "a-c"), L("a\nc", "ac"));
	regex_case("^[\\]\\-^a]+$", L("]-^a"), L("b"));
	regex_case("^[-^]$", L("-", "^"), L("a"));
	regex_case("^[\\^]$", L("^"), L("a"));
	regex_case("^[^^]$", L("a"), L("^"));
	regex_case("^a\\/b\\.c$", L("a/b.c"), L("a/bxc"));
	regex_case("^\\bword\\b", L("word up"), L("swordfish"));
	regex_case("^(a|b)\\1$", L("aa", "bb"), L("ab"));
	regex_case("x[]", L(NULL), L("x", "x]"));
	regex_case("^[[]$", L("["), L("a"));
	regex_case("^[a-c[:]$", L("b", ":", "["), L("d"));
	regex_case("", L("", "anything"), L(NULL));
	/* lazy quantifiers, and '?' after a literal '}' */
	regex_case("^a+?b$", L("ab", "aaab"), L("b"));
	regex_case("^a??b$", L("b", "ab"), L("aab"));
	regex_case("^a{2}?$", L("aa"), L("a", "aaa"));
	regex_case("^a}?$", L("a", "a}"), L("a}}"));
	regex_case("^\\??$", L("", "?"), L("??"));
#undef L
}

/* ---- every refusal ---------------------------------------------------- */

static void
test_bad_types(void **state)
{
	(void)state;
	expect_attr_error("{\"stock\":{\"type\":\"intger\"}}",
			  "attribute 'stock': unknown type 'intger'");
	expect_attr_error("{\"stock\":{\"min\":1}}",
			  "attribute 'stock': missing 'type'");
	expect_attr_error("{\"stock\":{\"type\":5}}",
			  "attribute 'stock': missing 'type'");
	expect_attr_error("{\"author\":{\"type\":\"relation\",\"relation\":"
			  "\"oneToOne\",\"target\":\"api::a.a\"}}",
			  "attribute 'author': type 'relation' is not "
			  "supported yet");
	expect_attr_error("{\"seo\":{\"type\":\"component\"}}",
			  "attribute 'seo': type 'component' is not supported "
			  "yet");
	expect_attr_error("{\"cover\":{\"type\":\"media\"}}",
			  "attribute 'cover': type 'media' is not supported "
			  "yet");
	expect_attr_error("{\"blocks\":{\"type\":\"dynamiczone\"}}",
			  "attribute 'blocks': type 'dynamiczone' is not "
			  "supported yet");
	expect_attr_error("{\"color\":{\"type\":\"customField\"}}",
			  "attribute 'color': type 'customField' is not "
			  "supported yet");
	expect_attr_error("{\"x\":\"string\"}",
			  "attribute 'x': must be an object");
}

static void
test_bad_names(void **state)
{
	static const char *const reserved[] = {
		"id",	     "documentId", "createdAt", "updatedAt",
		"publishedAt", "createdBy", "updatedBy", "locale",
		"localizations",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		char *attrs = xasprintf("{\"%s\":{\"type\":\"string\"}}",
					reserved[i]);
		char *msg = xasprintf("attribute '%s': the name is reserved "
				      "by Strapi",
				      reserved[i]);

		expect_attr_error(attrs, msg);
		free(msg);
		free(attrs);
	}
	expect_attr_error("{\"foo bar\":{\"type\":\"string\"}}",
			  "attribute 'foo bar': invalid name (a letter, then "
			  "letters, digits or '_', at most 63)");
	expect_attr_error("{\"_x\":{\"type\":\"string\"}}",
			  "attribute '_x': invalid name (a letter, then "
			  "letters, digits or '_', at most 63)");
	expect_attr_error("{\"fooBar\":{\"type\":\"string\"},\"foo_bar\":"
			  "{\"type\":\"string\"}}",
			  "attribute 'foo_bar': its column 'foo_bar' is also "
			  "the column of 'fooBar'");
	expect_attr_error("{\"createdById\":{\"type\":\"integer\"}}",
			  "attribute 'createdById': its column "
			  "'created_by_id' is reserved");
	expect_attr_error("{\"documentID\":{\"type\":\"string\"}}",
			  "attribute 'documentID': its column 'document_id' "
			  "is reserved");
}

static void
test_bad_options(void **state)
{
	(void)state;
	expect_attr_error("{\"a\":{\"type\":\"string\",\"required\":\"yes\"}}",
			  "attribute 'a': 'required' must be a boolean");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"unique\":1}}",
			  "attribute 'a': 'unique' must be a boolean");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"private\":null}}",
			  "attribute 'a': 'private' must be a boolean");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"min\":1}}",
			  "attribute 'a': 'min' is only valid on number "
			  "attributes");
	expect_attr_error("{\"a\":{\"type\":\"integer\",\"max\":\"9\"}}",
			  "attribute 'a': 'max' must be a number");
	expect_attr_error("{\"a\":{\"type\":\"float\",\"min\":2,\"max\":1}}",
			  "attribute 'a': 'min' is above 'max'");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"minLength\":-1}}",
			  "attribute 'a': 'minLength' must be a non-negative "
			  "integer");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"maxLength\":1.5}}",
			  "attribute 'a': 'maxLength' must be a non-negative "
			  "integer");
	expect_attr_error("{\"a\":{\"type\":\"integer\",\"maxLength\":3}}",
			  "attribute 'a': 'maxLength' is only valid on string "
			  "attributes");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"minLength\":5,"
			  "\"maxLength\":3}}",
			  "attribute 'a': 'minLength' is above 'maxLength'");
	expect_attr_error("{\"a\":{\"type\":\"enumeration\"}}",
			  "attribute 'a': 'enum' must be a non-empty array of "
			  "strings");
	expect_attr_error("{\"a\":{\"type\":\"enumeration\",\"enum\":[]}}",
			  "attribute 'a': 'enum' must be a non-empty array of "
			  "strings");
	expect_attr_error("{\"a\":{\"type\":\"enumeration\",\"enum\":[1]}}",
			  "attribute 'a': 'enum' must be a non-empty array of "
			  "strings");
	expect_attr_error("{\"a\":{\"type\":\"enumeration\",\"enum\":"
			  "[\"x\",\"x\"]}}",
			  "attribute 'a': enum value 'x' appears twice");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"enum\":[\"x\"]}}",
			  "attribute 'a': 'enum' is only valid on enumeration "
			  "attributes");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"regex\":\"([\"}}",
			  "attribute 'a': regex '([': a bracket expression is "
			  "not closed");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"regex\":\"(a\"}}",
			  "attribute 'a': regex '(a' does not compile as a "
			  "POSIX extended regular expression: Unmatched ( or "
			  "\\(");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"regex\":\"a(?=b)\"}}",
			  "attribute 'a': regex 'a(?=b)': look-ahead and "
			  "look-behind groups are not supported");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"regex\":"
			  "\"\\\\u0041\"}}",
			  "attribute 'a': regex '\\u0041': it uses an escape "
			  "POSIX regular expressions lack (\\u, \\x, \\p, \\c, "
			  "\\0, \\k)");
	expect_attr_error("{\"a\":{\"type\":\"integer\",\"regex\":\"x\"}}",
			  "attribute 'a': 'regex' is only valid on string "
			  "attributes");
	expect_attr_error("{\"a\":{\"type\":\"string\",\"regex\":5}}",
			  "attribute 'a': 'regex' must be a string");
	expect_attr_error("{\"s\":{\"type\":\"uid\",\"targetField\":\"nope\"}}",
			  "attribute 's': targetField 'nope' must name a "
			  "string or text attribute");
	expect_attr_error("{\"n\":{\"type\":\"integer\"},\"s\":{\"type\":"
			  "\"uid\",\"targetField\":\"n\"}}",
			  "attribute 's': targetField 'n' must name a string "
			  "or text attribute");
	expect_attr_error("{\"s\":{\"type\":\"uid\",\"targetField\":\"id\"}}",
			  "attribute 's': targetField 'id' must name a string "
			  "or text attribute");
	expect_attr_error("{\"s\":{\"type\":\"string\",\"targetField\":\"x\"}}",
			  "attribute 's': 'targetField' is only valid on uid "
			  "attributes");
	expect_attr_error("{\"s\":{\"type\":\"uid\",\"targetField\":1}}",
			  "attribute 's': 'targetField' must be a string");
}

static void
test_bad_defaults(void **state)
{
	(void)state;
	expect_attr_error("{\"a\":{\"type\":\"string\",\"default\":1}}",
			  "attribute 'a': 'default' must be a string");
	expect_attr_error("{\"a\":{\"type\":\"integer\",\"default\":\"1\"}}",
			  "attribute 'a': 'default' must be an integer");
	expect_attr_error("{\"a\":{\"type\":\"integer\",\"default\":1.5}}",
			  "attribute 'a': 'default' must be an integer");
	expect_attr_error("{\"a\":{\"type\":\"biginteger\",\"default\":"
			  "\"1x\"}}",
			  "attribute 'a': 'default' must be an integer or a "
			  "string of digits");
	expect_attr_error("{\"a\":{\"type\":\"float\",\"default\":true}}",
			  "attribute 'a': 'default' must be a number");
	expect_attr_error("{\"a\":{\"type\":\"boolean\",\"default\":\"true\"}}",
			  "attribute 'a': 'default' must be a boolean");
	expect_attr_error("{\"a\":{\"type\":\"enumeration\",\"enum\":[\"x\"],"
			  "\"default\":\"y\"}}",
			  "attribute 'a': 'default' must be one of the enum "
			  "values");
	expect_attr_error("{\"a\":{\"type\":\"date\",\"default\":"
			  "\"2024-02-30\"}}",
			  "attribute 'a': 'default' must be a date "
			  "(YYYY-MM-DD)");
	expect_attr_error("{\"a\":{\"type\":\"time\",\"default\":\"9:30\"}}",
			  "attribute 'a': 'default' must be a time "
			  "(HH:mm:ss.SSS)");
	expect_attr_error("{\"a\":{\"type\":\"datetime\",\"default\":"
			  "\"soon\"}}",
			  "attribute 'a': 'default' must be an ISO-8601 "
			  "date-time");
	/* well-typed defaults load */
	{
		struct schema_registry reg;
		struct err e = ERR_INIT;
		char *root = temp_project();
		char *s = with_attrs(
			"{\"a\":{\"type\":\"json\",\"default\":{\"k\":[1]}},"
			"\"b\":{\"type\":\"biginteger\",\"default\":\"12\"},"
			"\"c\":{\"type\":\"date\",\"default\":\"2024-01-02\"},"
			"\"d\":{\"type\":\"time\",\"default\":\"10:00:00\"},"
			"\"e\":{\"type\":\"datetime\",\"default\":"
			"\"2024-01-02T03:04:05Z\"},\"f\":{\"type\":\"string\","
			"\"default\":null},\"g\":{\"type\":\"float\","
			"\"default\":2},\"h\":{\"type\":\"biginteger\","
			"\"min\":\"1\",\"max\":\"99\"}}");

		write_schema(root, "product", "product", s);
		schema_registry_init(&reg);
		assert_int_equal(schema_registry_load(&reg, root, &e), 0);
		assert_true(json_is_null(
			schema_field(&reg.types[0], "f")->default_value));
		assert_true(schema_field(&reg.types[0], "h")->has_max);
		schema_registry_release(&reg);
		free(s);
		rm_tree(root);
		free(root);
	}
}

static void
test_bad_type_level(void **state)
{
	(void)state;
	expect_schema_error("{\"kind\":\"collection\",\"info\":{"
			    "\"singularName\":\"product\",\"pluralName\":"
			    "\"products\"},\"attributes\":{}}",
			    PRODUCT_FILE ": kind must be \"collectionType\" "
					 "or \"singleType\"");
	expect_schema_error("{\"kind\":\"collectionType\",\"attributes\":{}}",
			    PRODUCT_FILE ": info must be an object");
	expect_schema_error("{\"kind\":\"collectionType\",\"info\":{"
			    "\"pluralName\":\"products\"},\"attributes\":{}}",
			    PRODUCT_FILE ": info.singularName is missing");
	expect_schema_error("{\"kind\":\"collectionType\",\"info\":{"
			    "\"singularName\":\"Product\",\"pluralName\":"
			    "\"products\"},\"attributes\":{}}",
			    PRODUCT_FILE ": info.singularName must be a "
					 "string matching ^[a-z][a-z0-9-]*$ "
					 "(at most 63 characters)");
	expect_schema_error("{\"kind\":\"collectionType\",\"info\":{"
			    "\"singularName\":\"product\",\"pluralName\":"
			    "\"pro_ducts\"},\"attributes\":{}}",
			    PRODUCT_FILE ": info.pluralName must be a "
					 "string matching ^[a-z][a-z0-9-]*$ "
					 "(at most 63 characters)");
	expect_schema_error("{\"kind\":\"collectionType\",\"info\":{"
			    "\"singularName\":\"product\",\"pluralName\":"
			    "\"product\"},\"attributes\":{}}",
			    PRODUCT_FILE ": info.singularName and "
					 "info.pluralName must differ");
	expect_schema_error("{\"kind\":\"collectionType\",\"info\":{"
			    "\"singularName\":\"product\",\"pluralName\":"
			    "\"products\",\"displayName\":1},"
			    "\"attributes\":{}}",
			    PRODUCT_FILE ": info.displayName must be a string");
	expect_schema_error("{\"kind\":\"collectionType\",\"collectionName\":"
			    "\"drop table\",\"info\":{\"singularName\":"
			    "\"product\",\"pluralName\":\"products\"},"
			    "\"attributes\":{}}",
			    PRODUCT_FILE ": collectionName must be a SQL "
					 "identifier (letters, digits and "
					 "'_', at most 63)");
	expect_schema_error("{\"kind\":\"collectionType\",\"options\":[],"
			    "\"info\":{\"singularName\":\"product\","
			    "\"pluralName\":\"products\"},\"attributes\":{}}",
			    PRODUCT_FILE ": options must be an object");
	expect_schema_error("{\"kind\":\"collectionType\",\"options\":{"
			    "\"draftAndPublish\":\"yes\"},\"info\":{"
			    "\"singularName\":\"product\",\"pluralName\":"
			    "\"products\"},\"attributes\":{}}",
			    PRODUCT_FILE ": options.draftAndPublish must be "
					 "a boolean");
	expect_schema_error("{\"kind\":\"collectionType\",\"info\":{"
			    "\"singularName\":\"product\",\"pluralName\":"
			    "\"products\"}}",
			    PRODUCT_FILE ": attributes must be an object");
	expect_schema_error("{\"kind\":", PRODUCT_FILE
			    ": invalid JSON at line 1: unexpected token near "
			    "end of file");
	expect_schema_error("{\"kind\":\"singleType\",\"kind\":\"x\"}",
			    PRODUCT_FILE ": invalid JSON at line 1: duplicate "
					 "object key near '\"kind\"'");
	expect_schema_error("[1]", PRODUCT_FILE ": not a JSON object");
}

/* Two types in one project; expect 'msg' naming the second. */
static void
expect_pair_error(const char *a, const char *b, const char *msg)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	char *root = temp_project();

	write_schema(root, "alpha", "alpha", a);
	write_schema(root, "beta", "beta", b);
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), ERR_VALIDATION);
	assert_string_equal(e.msg, msg);
	schema_registry_release(&reg);
	rm_tree(root);
	free(root);
}

static void
test_clashes(void **state)
{
	(void)state;
	expect_pair_error("{\"kind\":\"collectionType\",\"info\":{"
			  "\"singularName\":\"alpha\",\"pluralName\":"
			  "\"items\"},\"attributes\":{}}",
			  "{\"kind\":\"collectionType\",\"info\":{"
			  "\"singularName\":\"beta\",\"pluralName\":"
			  "\"items\"},\"attributes\":{}}",
			  "src/api/beta/content-types/beta/schema.json: route "
			  "name 'items' is already used by api::alpha.alpha "
			  "(src/api/alpha/content-types/alpha/schema.json)");
	/* a single type's route is its singular name */
	expect_pair_error("{\"kind\":\"collectionType\",\"info\":{"
			  "\"singularName\":\"alpha\",\"pluralName\":"
			  "\"homes\"},\"attributes\":{}}",
			  "{\"kind\":\"singleType\",\"info\":{"
			  "\"singularName\":\"homes\",\"pluralName\":"
			  "\"homess\"},\"attributes\":{}}",
			  "src/api/beta/content-types/beta/schema.json: route "
			  "name 'homes' is already used by api::alpha.alpha "
			  "(src/api/alpha/content-types/alpha/schema.json)");
	expect_pair_error("{\"kind\":\"collectionType\",\"collectionName\":"
			  "\"things\",\"info\":{\"singularName\":\"alpha\","
			  "\"pluralName\":\"alphas\"},\"attributes\":{}}",
			  "{\"kind\":\"collectionType\",\"collectionName\":"
			  "\"things\",\"info\":{\"singularName\":\"beta\","
			  "\"pluralName\":\"betas\"},\"attributes\":{}}",
			  "src/api/beta/content-types/beta/schema.json: "
			  "collectionName 'things' is already used by "
			  "api::alpha.alpha");
}

static void
test_bad_folders(void **state)
{
	struct schema_registry reg;
	struct err e = ERR_INIT;
	char *root = temp_project(), *dir;

	(void)state;
	/* a content-type folder without schema.json */
	dir = xasprintf("%s/src/api/product/content-types/product", root);
	mkdirs(dir);
	free(dir);
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), ERR_VALIDATION);
	assert_string_equal(e.msg, PRODUCT_FILE
			    ": cannot read: No such file or directory");
	schema_registry_release(&reg);
	rm_tree(root);
	free(root);

	root = temp_project();
	write_schema(root, "Shop", "shop",
		     "{\"kind\":\"collectionType\",\"info\":{\"singularName\":"
		     "\"shop\",\"pluralName\":\"shops\"},\"attributes\":{}}");
	schema_registry_init(&reg);
	assert_int_equal(schema_registry_load(&reg, root, &e), ERR_VALIDATION);
	assert_string_equal(e.msg,
			    "src/api/Shop/content-types/shop/schema.json: API "
			    "name 'Shop' must match ^[a-z][a-z0-9-]*$");
	schema_registry_release(&reg);
	rm_tree(root);
	free(root);
	err_release(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_fixtures),
		cmocka_unit_test(test_fields_layout),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_missing_project_is_empty),
		cmocka_unit_test(test_folder_name_is_uid),
		cmocka_unit_test(test_add_directly),
		cmocka_unit_test(test_column_names),
		cmocka_unit_test(test_js_regex_translation),
		cmocka_unit_test(test_bad_types),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_bad_defaults),
		cmocka_unit_test(test_bad_type_level),
		cmocka_unit_test(test_clashes),
		cmocka_unit_test(test_bad_folders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
