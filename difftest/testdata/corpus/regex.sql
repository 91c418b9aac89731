-- Pattern matching: LIKE / ILIKE with escapes, SIMILAR TO, POSIX
-- regular expressions (~ ~* !~ !~*), regexp_replace with flags,
-- regexp_match(es), regexp_split_to_array/table, regexp_count & co.

-- name: like_basic
SELECT 'hello' LIKE 'h%', 'hello' LIKE 'H%', 'hello' LIKE '_ello', 'hello' LIKE 'hell', 'hello' NOT LIKE '%z%';
-- name: like_empty
SELECT '' LIKE '', '' LIKE '%', 'a' LIKE '', '' LIKE '_';
-- name: like_escape_default
SELECT '50%' LIKE '50\%', '50x' LIKE '50\%', 'a_b' LIKE 'a\_b', 'axb' LIKE 'a\_b', 'a\b' LIKE 'a\\b';
-- name: like_escape_custom
SELECT '50%' LIKE '50#%' ESCAPE '#', 'a_b' LIKE 'a!_b' ESCAPE '!', 'a%b' LIKE 'a%%b' ESCAPE '%';
-- name: like_escape_none
SELECT 'a\b' LIKE 'a\b' ESCAPE '', '50%' LIKE '50\%' ESCAPE '';
-- name: like_bad_escape
-- error: 22025
SELECT 'abc' LIKE 'a\' ;
-- name: like_columns
SELECT id FROM texts WHERE t LIKE '%a%' ORDER BY id;
-- name: like_columns_underscore
SELECT id, t LIKE '_____', vc LIKE '%e' FROM texts ORDER BY id;
-- name: like_char_column
SELECT id, c LIKE 'ab', c LIKE 'ab%', c LIKE '%  ' FROM texts ORDER BY id;
-- name: like_unicode
SELECT 'Straße' LIKE 'Stra_e', '😀 emoji' LIKE '_ emoji', '東京都' LIKE '東%', 'café' LIKE 'caf_';
-- name: like_literal_percent_in_data
SELECT id FROM texts WHERE t LIKE '%\%%' ORDER BY id;
-- name: like_backslash_in_data
SELECT id FROM texts WHERE t LIKE '%\\%' ORDER BY id;
-- name: ilike_basic
SELECT 'Hello' ILIKE 'h%', 'HELLO' ILIKE '%llo', 'hello' NOT ILIKE 'H_LLO', 'ß' ILIKE 'SS';
-- name: ilike_unicode
SELECT 'CAFÉ' ILIKE 'café', 'straße' ILIKE 'STRASSE', 'ΣΊΣΥΦΟΣ' ILIKE 'σίσυφος', 'Ölçek' ILIKE 'ölçek';
-- name: ilike_columns
SELECT id FROM texts WHERE t ILIKE '%E%' ORDER BY id;
-- name: like_operators
SELECT 'abc' ~~ 'a%', 'abc' !~~ 'a%', 'ABC' ~~* 'a%', 'ABC' !~~* 'a%';
-- name: like_null
SELECT NULL LIKE 'a', 'a' LIKE NULL, NULL::text ILIKE '%';
-- name: like_any_array
SELECT id FROM texts WHERE t LIKE ANY (ARRAY['h%', '%fox%', 'O%']) ORDER BY id;
-- name: like_all_array
SELECT id FROM texts WHERE t LIKE ALL (ARRAY['%o%', '%e%']) ORDER BY id;
-- name: like_case_sensitivity_columns
SELECT id, vc LIKE 'M%', vc ILIKE 'm%' FROM texts ORDER BY id;

-- name: similar_basic
SELECT 'abc' SIMILAR TO 'abc', 'abc' SIMILAR TO 'a', 'abc' SIMILAR TO '%(b|d)%', 'abc' SIMILAR TO '(b|c)%';
-- name: similar_classes
SELECT 'abc123' SIMILAR TO '[a-z]+[0-9]+', 'x' SIMILAR TO '[[:alpha:]]', 'ab' SIMILAR TO 'a{1,2}b', 'aab' SIMILAR TO 'a*b';
-- name: similar_escape
SELECT '50%' SIMILAR TO '50#%' ESCAPE '#', 'a.b' SIMILAR TO 'a.b', 'axb' SIMILAR TO 'a.b', 'a_b' SIMILAR TO 'a\_b';
-- name: similar_columns
SELECT id FROM texts WHERE t SIMILAR TO '%(fox|café)%' ORDER BY id;
-- name: not_similar
SELECT id, vc NOT SIMILAR TO '[a-z]+' FROM texts ORDER BY id;

-- name: regex_match_ops
SELECT 'hello' ~ 'ell', 'hello' ~ '^ell', 'HELLO' ~* 'ell', 'hello' !~ 'x', 'hello' !~* 'L';
-- name: regex_partial_match
SELECT 'abc' ~ 'b', 'abc' ~ '^b$', 'abc' ~ '', 'abc' ~ 'a|z';
-- name: regex_anchors_multiline
SELECT E'a\nb' ~ '^b', E'a\nb' ~ '(?n)^b', E'a\nb' ~ 'a.b', E'a\nb' ~ '(?n)a.b';
-- name: regex_classes
SELECT 'abc123' ~ '^[[:alpha:]]+[[:digit:]]+$', 'a b' ~ '\s', 'ab' ~ '\w+', '123' ~ '^\d{3}$', '12' ~ '^\d{3}$';
-- name: regex_word_boundary
SELECT 'the cat' ~ '\mcat\M', 'concat' ~ '\mcat', 'cat!' ~ 'cat\y', 'a-b' ~ '[[:<:]]b';
-- name: regex_columns
SELECT id FROM texts WHERE t ~ '[A-Z]' ORDER BY id;
-- name: regex_columns_ci
SELECT id, t ~* 'straße', t ~ 'ß', t !~ '^[[:ascii:]]*$' FROM texts ORDER BY id;
-- name: regex_unicode_class
SELECT 'é' ~ '[[:alpha:]]', '東' ~ '[[:alpha:]]', '😀' ~ '[[:alpha:]]', 'ß' ~ '^\w$';
-- name: regex_invalid
-- error: 2201B
SELECT 'abc' ~ '(';
-- name: regex_backref
SELECT 'abab' ~ '^(ab)\1$', 'abcd' ~ '^(ab)\1$', 'aa bb' ~ '(\w)\1';
-- name: regex_lookahead
SELECT 'foobar' ~ 'foo(?=bar)', 'foobaz' ~ 'foo(?=bar)', 'foobaz' ~ 'foo(?!bar)';
-- name: regex_null
SELECT NULL ~ 'a', 'a' ~ NULL, regexp_replace(NULL, 'a', 'b');

-- name: regexp_replace_first
SELECT regexp_replace('foobarbaz', 'b..', 'X'), regexp_replace('aaa', 'a', 'b');
-- name: regexp_replace_global
SELECT regexp_replace('foobarbaz', 'b..', 'X', 'g'), regexp_replace('aaa', 'a', 'b', 'g');
-- name: regexp_replace_case_flag
SELECT regexp_replace('Hello HELLO', 'hello', 'x', 'gi'), regexp_replace('Hello HELLO', 'hello', 'x', 'i');
-- name: regexp_replace_backrefs
SELECT regexp_replace('John Smith', '(\w+) (\w+)', '\2, \1'), regexp_replace('abc', '(b)', '[\1\1]'), regexp_replace('abc', 'b', '\&\&');
-- name: regexp_replace_escaped_backslash
SELECT regexp_replace('a.b.c', '\.', '\\', 'g'), regexp_replace('a b', ' ', E'\\\\');
-- name: regexp_replace_empty_match
SELECT regexp_replace('abc', '', '-', 'g'), regexp_replace('abc', 'x*', '-', 'g');
-- name: regexp_replace_anchor
SELECT regexp_replace('  padded  ', '^\s+|\s+$', '', 'g'), regexp_replace('a1b22c333', '\d+', '#', 'g');
-- name: regexp_replace_start_n
SELECT regexp_replace('ababab', 'a', 'X', 2), regexp_replace('ababab', 'a', 'X', 1, 2), regexp_replace('ababab', 'a', 'X', 1, 0);
-- name: regexp_replace_columns
SELECT id, regexp_replace(t, '[aeiou]', '*', 'g') FROM texts ORDER BY id;
-- name: regexp_replace_columns_ci
SELECT id, regexp_replace(t, '[A-Z]', '_', 'gi') FROM texts ORDER BY id;
-- name: regexp_replace_unicode
SELECT regexp_replace('Straße', 'ß', 'ss'), regexp_replace('東京都', '京', 'X'), regexp_replace('😀😀', '😀', 'x', 'g');
-- name: regexp_replace_newline_flag
SELECT regexp_replace(E'a\nb\nc', '^', '> ', 'gn'), regexp_replace(E'a\nb', '.', 'x', 'g');
-- name: regexp_replace_bad_flag
-- error: 22023
SELECT regexp_replace('abc', 'b', 'x', 'z');
-- name: regexp_match_basic
SELECT regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('abc', 'x'), regexp_match('abc', 'b');
-- name: regexp_match_groups
SELECT regexp_match('2024-03-10', '(\d+)-(\d+)-(\d+)'), (regexp_match('key=value', '(\w+)=(\w+)'))[2];
-- name: regexp_match_optional_group
SELECT regexp_match('ab', '(a)(x)?(b)'), regexp_match('AB', '(a)(b)', 'i');
-- name: regexp_match_columns
SELECT id, regexp_match(t, '(\w)(\w)') FROM texts ORDER BY id;
-- name: regexp_matches_global
SELECT regexp_matches('a1b22c333', '\d+', 'g');
-- name: regexp_matches_groups_global
SELECT m FROM regexp_matches('k1=v1;k2=v2;k3=', '(\w+)=(\w*)', 'g') AS m;
-- name: regexp_matches_non_global
SELECT regexp_matches('a1b22c333', '\d+');
-- name: regexp_matches_none
SELECT count(*) FROM regexp_matches('abc', '\d', 'g');
-- name: regexp_matches_columns
SELECT id, regexp_matches(t, '[aeiou]', 'g') FROM texts WHERE id IN (1, 16);
-- name: regexp_matches_ordinality
SELECT m, n FROM regexp_matches('x1y2z3', '\d', 'g') WITH ORDINALITY AS r(m, n) ORDER BY n;
-- name: regexp_split_to_array_basic
SELECT regexp_split_to_array('a1b22c333d', '\d+'), regexp_split_to_array('a b  c', '\s+'), regexp_split_to_array('abc', '');
-- name: regexp_split_to_array_edges
SELECT regexp_split_to_array('', ','), regexp_split_to_array(',a,', ','), regexp_split_to_array('a', 'a');
-- name: regexp_split_to_array_ci
SELECT regexp_split_to_array('aXbxc', 'x', 'i'), regexp_split_to_array('aXbxc', 'x');
-- name: regexp_split_to_table_basic
SELECT x FROM regexp_split_to_table('the quick brown fox', '\s+') AS x;
-- name: regexp_split_to_table_ordinality
SELECT x, n FROM regexp_split_to_table('a,b,,c', ',') WITH ORDINALITY AS s(x, n) ORDER BY n;
-- name: regexp_split_columns
SELECT id, regexp_split_to_array(t, ',') FROM texts ORDER BY id;
-- name: regexp_split_table_columns
SELECT id, w FROM texts, regexp_split_to_table(t, ' ') AS w WHERE id IN (10, 16, 17) ORDER BY id, w;
-- name: regexp_count_values
SELECT regexp_count('banana', 'a'), regexp_count('banana', 'an'), regexp_count('ABab', 'a', 1, 'i'), regexp_count('', 'a');
-- name: regexp_instr_values
SELECT regexp_instr('banana', 'an'), regexp_instr('banana', 'an', 1, 2), regexp_instr('banana', 'x'), regexp_instr('banana', 'an', 1, 1, 1);
-- name: regexp_substr_values
SELECT regexp_substr('banana', 'a.a'), regexp_substr('banana', 'a.a', 3), regexp_substr('abc', 'x'), regexp_substr('A1B2', '[a-z]\d', 1, 2, 'i');
-- name: regexp_like_values
SELECT regexp_like('Hello', 'h'), regexp_like('Hello', 'h', 'i'), regexp_like('abc', '^abc$');
-- name: regex_count_rows
SELECT count(*) FILTER (WHERE t ~ '^[a-z ]+$'), count(*) FILTER (WHERE t ~* 'e') FROM texts;
-- name: regex_in_case
SELECT id, CASE WHEN t ~ '^\s' THEN 'leading space' WHEN t ~ '\s$' THEN 'trailing space' WHEN t = '' THEN 'empty' ELSE 'other' END FROM texts ORDER BY id;
-- name: regexp_email_parse
SELECT id, split_part(email, '@', 2) AS domain, email ~ '^c\d+@example\.com$' FROM customers WHERE id <= 20 ORDER BY id;
-- name: regexp_sku_extract
SELECT id, (regexp_match(sku, '(\d+)$'))[1]::int AS num FROM products WHERE id <= 12 ORDER BY id;
-- name: regexp_group_by
SELECT substring(name FROM '^\w+') AS kind, count(*) FROM products GROUP BY 1 ORDER BY 1;
-- name: similar_to_escape_function
SELECT similar_to_escape('a_b%'), similar_to_escape('a#b', '#');
-- name: regex_quantifiers
SELECT 'aaa' ~ '^a{3}$', 'aaaa' ~ '^a{2,3}$', 'ab' ~ '^a+?b', 'color' ~ '^colou?r$';
-- name: regex_greedy_vs_lazy
SELECT substring('<a><b>' FROM '<.+>'), substring('<a><b>' FROM '<.+?>'), regexp_replace('<a><b>', '<.*?>', '', 'g');
-- name: regex_bracket_special
SELECT 'a]b' ~ '[]]', 'a-b' ~ '[a-]', 'x^y' ~ '[\^]', 'a.b' ~ 'a[.]b';
-- name: regex_ere_flag
SELECT regexp_replace('a+b', 'a+', 'X', 'q'), regexp_match('a.b', 'a.b', 'q');
-- name: regex_expanded
SELECT 'abc' ~ '(?x) a b c', regexp_match('ab12', '(?x) ([a-z]+) # letters
 (\d+)');

-- name: regex_column_patterns
SELECT id, t ~ vc, t ~* vc, vc ~ ('^' || left(t, 1)) FROM texts WHERE vc NOT LIKE '%(%' ORDER BY id;
-- name: regexp_replace_column_patterns
SELECT id, regexp_replace(t, left(vc, 1), '#', 'g'), regexp_count(t, left(vc, 1)) FROM texts WHERE vc <> '' ORDER BY id;
-- name: similar_column_patterns
SELECT id, t SIMILAR TO (left(t, 1) || '%'), t SIMILAR TO vc FROM texts WHERE vc NOT LIKE '%(%' ORDER BY id;
-- name: regex_parameter_flags
SELECT regexp_like('ABC', 'b', lower('I')), regexp_replace('aXbX', 'x', '-', 'g' || 'i');
-- name: regex_unicode_classes_more
SELECT 'Ⅻ' ~ '[[:alpha:]]', '٣' ~ '[[:digit:]]', '٣' ~ '\w', U&'\00A0' ~ '\s', U&'\3000' ~ '\s', '€' ~ '[[:punct:]]', 'ǅ' ~ '[[:upper:]]', 'ǅ' ~ '[[:lower:]]', 'ſ' ~* 's', 'K' ~* 'k';
-- name: regex_newline_flags
SELECT regexp_replace(E'ab\ncd', '^.', 'X', 'gn'), regexp_replace(E'ab\ncd', '.$', 'X', 'gw'), regexp_replace(E'ab\ncd', '[^a]', '_', 'gp'), E'a\nb' ~ '(?p)a.b';
-- name: regex_errors_more
-- error: 2201B
SELECT 'a' ~ 'a{2,1}';
-- name: regex_errors_bad_class
-- error: 2201B
SELECT 'a' ~ '[[:nope:]]';
