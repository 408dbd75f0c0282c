// SPDX-License-Identifier: GPL-2.0-or-later
/* The table writers: JSON's exact big integers, NDJSON, HTML escaping,
 * text that streams past its look-ahead. */
#include "unit.h"

#include "report/writer.h"

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static struct writer *open_out(struct out *o, enum writer_format fmt)
{
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	return writer_new(fmt, o->f);
}

static void close_out(struct out *o, struct writer *w)
{
	assert_int_equal(writer_finish(w), 0);
	fclose(o->f);
}

static void row2(struct writer *w, const char *a, const char *b)
{
	static const char *names[] = {"t", "name"};
	static const bool numeric[] = {true, false};
	const char *values[] = {a, b};
	struct store_row r = {2, names, values, numeric};

	assert_int_equal(writer_row(&r, w), 0);
}

static void test_json(void **state)
{
	struct out o;
	struct writer *w = open_out(&o, FORMAT_JSON);

	(void)state;
	row2(w, "1796153980066478241", "a\"b");
	row2(w, "9007199254740992", NULL); /* 2^53: still a number */
	close_out(&o, w);
	assert_non_null(strstr(o.buf, "\"t\":\"1796153980066478241\""));
	assert_non_null(strstr(o.buf, "\"t\":9007199254740992"));
	assert_non_null(strstr(o.buf, "\"name\":null"));
	free(o.buf);

	w = open_out(&o, FORMAT_NDJSON);
	row2(w, "1", "x");
	row2(w, "2", "y");
	close_out(&o, w);
	assert_string_equal(o.buf, "{\"t\":1,\"name\":\"x\"}\n"
				   "{\"t\":2,\"name\":\"y\"}\n");
	free(o.buf);
}

static void test_html(void **state)
{
	struct out o;
	struct writer *w = open_out(&o, FORMAT_HTML);

	(void)state;
	row2(w, "1", "<b>&");
	close_out(&o, w);
	assert_non_null(strstr(o.buf, "<td>&lt;b&gt;&amp;</td>"));
	assert_non_null(strstr(o.buf, "<td class=\"num\">1</td>"));
	assert_non_null(strstr(o.buf, "</table>"));
	free(o.buf);
}

static void test_text_streams(void **state)
{
	struct out o;
	struct writer *w = open_out(&o, FORMAT_TEXT);
	char n[16], *line, *save = NULL;
	int i, lines = 0;

	(void)state;
	for (i = 0; i < 2500; i++) {
		snprintf(n, sizeof(n), "%d", i);
		row2(w, n, i == 2000 ? "a-longer-name" : "x");
		if (i == 1500)
			/* the first 1000 rows are out already */
			assert_true(ftell(o.f) > 1000 * 6);
	}
	close_out(&o, w);
	for (line = strtok_r(o.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		if (!lines)
			assert_string_equal(line, "  t  name"); /* "999" */
	}
	assert_int_equal(lines, 2501);
	free(o.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_text_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
