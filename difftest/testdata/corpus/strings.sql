-- Strings: lengths, case mapping with unicode, substrings, searching,
-- replacing, trimming, padding, splitting, concatenation, hashing,
-- quoting, format() and string_agg. Text columns: texts.t (text),
-- texts.vc (varchar(10)), texts.c (char(8), padded).

-- name: lengths_literals
SELECT length('hello'), char_length('Straße'), octet_length('Straße'), bit_length('ab'), character_length('😀');
-- name: lengths_columns
SELECT id, length(t), char_length(vc), octet_length(t), octet_length(vc) FROM texts ORDER BY id;
-- name: lengths_char_padding
SELECT id, length(c), octet_length(c), char_length(c::text), length(c || '') FROM texts ORDER BY id;
-- name: length_bytea
SELECT length('\xdeadbeef'::bytea), octet_length('\x'::bytea), length(convert_to('ß', 'UTF8'));
-- name: length_trailing_spaces
SELECT length('ab  '), length('ab  '::char(4)), length('ab  '::varchar(4)), octet_length('ab  '::char(6));

-- name: upper_lower_ascii
SELECT upper('hello World'), lower('HELLO World'), initcap('hello wORLD foo-bar baz_qux');
-- name: upper_sharp_s
SELECT upper('straße'), lower('STRASSE'), upper('ß'), lower('ẞ');
-- name: upper_lower_accents
SELECT upper('café'), lower('CAFÉ'), upper('ñandú'), lower('ÖLÇEK');
-- name: upper_lower_columns
SELECT id, upper(t), lower(t) FROM texts ORDER BY id;
-- name: initcap_columns
SELECT id, initcap(t), initcap(vc) FROM texts ORDER BY id;
-- name: case_dotted_i
SELECT upper('istanbul'), lower('İSTANBUL'), lower('I');
-- name: case_greek_sigma
SELECT lower('ΣΊΣΥΦΟΣ'), upper('σίσυφος'), initcap('ΣΊΣΥΦΟΣ');
-- name: case_digraph
SELECT upper('ǆ'), lower('Ǆ'), initcap('ǆungla');
-- name: upper_char_column
SELECT id, upper(c), lower(c) FROM texts ORDER BY id;
-- name: initcap_digits_punct
SELECT initcap('1st place'), initcap('o''reilly mcDonald'), initcap('hello.world-wide'), initcap('ÉCOLE élève');

-- name: substr_basic
SELECT substr('hello world', 7), substr('hello world', 1, 5), substr('hello', 0, 3), substr('hello', -2, 5);
-- name: substr_out_of_range
SELECT substr('hello', 10), substr('hello', 3, 0), substr('hello', 6, 1), substr('', 1, 1);
-- name: substr_negative_length
-- error: 22011
SELECT substr('hello', 2, -1);
-- name: substring_from_for
SELECT substring('hello world' FROM 7), substring('hello world' FROM 1 FOR 5), substring('hello' FOR 2);
-- name: substring_unicode
SELECT substring('Straße' FROM 5 FOR 2), substr('😀 emoji', 1, 1), substr('東京都', 2), substring('café', 4);
-- name: substr_columns
SELECT id, substr(t, 2, 3), substring(vc FROM 2), substr(c, 1, 3) FROM texts ORDER BY id;
-- name: substring_regex
SELECT substring('order 12345 shipped' FROM '[0-9]+'), substring('abc' FROM 'x'), substring('foobar' FROM 'o(.)b');
-- name: substring_similar
SELECT substring('foobar' SIMILAR '%#"o_b#"%' ESCAPE '#'), substring('foobar' FROM '%#"o_b#"%' FOR '#');
-- name: substr_bytea
SELECT substr('\xdeadbeef'::bytea, 2, 2), substring('\x0102030405'::bytea FROM 3);
-- name: left_right
SELECT left('hello', 2), right('hello', 2), left('hello', -2), right('hello', -2), left('hello', 0), right('hi', 10);
-- name: left_right_columns
SELECT id, left(t, 3), right(t, 3), left(vc, -1), right(c, 2) FROM texts ORDER BY id;
-- name: left_right_unicode
SELECT left('Straße', 5), right('東京都', 1), left('😀x', 1);

-- name: position_strpos
SELECT position('lo' IN 'hello'), strpos('hello', 'l'), position('x' IN 'hello'), position('' IN 'hello'), strpos('', '');
-- name: position_unicode
SELECT position('ß' IN 'Straße'), strpos('東京都', '都'), position('😀' IN 'a😀b');
-- name: position_columns
SELECT id, position('a' IN t), strpos(vc, 'e'), position(' ' IN c) FROM texts ORDER BY id;
-- name: position_case_sensitive
SELECT position('L' IN 'hello'), strpos('HELLO', 'l'), position('é' IN 'CAFÉ');
-- name: starts_with_values
SELECT starts_with('hello', 'he'), starts_with('hello', ''), starts_with('', 'a'), starts_with('Straße', 'Stra');
-- name: starts_with_columns
SELECT id, starts_with(t, 'the'), t ^@ 'M' FROM texts ORDER BY id;

-- name: replace_basic
SELECT replace('hello world', 'o', '0'), replace('aaaa', 'aa', 'b'), replace('hello', '', 'x'), replace('hello', 'l', '');
-- name: replace_case_sensitive
SELECT replace('Hello HELLO hello', 'hello', 'bye'), replace('Straße', 'ß', 'ss');
-- name: replace_columns
SELECT id, replace(t, ' ', '_'), replace(vc, 'e', 'E') FROM texts ORDER BY id;
-- name: replace_null
SELECT replace('abc', NULL, 'x'), replace(NULL, 'a', 'b'), replace('abc', 'b', NULL);
-- name: translate_basic
SELECT translate('12345', '143', 'ax'), translate('hello', 'el', 'ip'), translate('abc', '', 'x'), translate('Straße', 'ß', 's');
-- name: translate_columns
SELECT id, translate(t, 'aeiou', 'AEIOU') FROM texts ORDER BY id;
-- name: overlay_basic
SELECT overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4), overlay('hello' PLACING 'XX' FROM 2), overlay('abc' PLACING 'Z' FROM 10);

-- name: trim_family
SELECT trim('  hi  '), ltrim('  hi  '), rtrim('  hi  '), btrim('xxhixx', 'x'), '[' || trim(both from '  hi  ') || ']';
-- name: trim_chars
SELECT trim(leading 'x' from 'xxhixx'), trim(trailing 'x' from 'xxhixx'), trim(both 'xy' from 'xyxhiyx'), ltrim('zzzabc', 'z'), rtrim('abc...', '.');
-- name: trim_columns
SELECT id, '[' || trim(t) || ']', '[' || ltrim(vc) || ']', '[' || rtrim(t) || ']' FROM texts ORDER BY id;
-- name: trim_char_column
SELECT id, '[' || trim(c) || ']', '[' || c || ']', '[' || c::text || ']' FROM texts ORDER BY id;
-- name: trim_unicode
SELECT trim('ß' from 'ßßaßß'), btrim('😀x😀', '😀'), trim(E'\t\n x \n');
-- name: trim_bytea
SELECT btrim('\x0000ab00'::bytea, '\x00'::bytea), trim('\x00'::bytea from '\x00ff00'::bytea);
-- name: trim_bytea_sides
SELECT ltrim('\x0102ab0201'::bytea, '\x0201'::bytea), rtrim('\x0102ab0201'::bytea, '\x0201'::bytea), trim(leading '\xff'::bytea from '\xffff00ff'::bytea), trim(trailing '\xff'::bytea from '\xffff00ff'::bytea), btrim('\xffff'::bytea, '\xff'::bytea), btrim('\xab'::bytea, ''::bytea);
-- name: trim_bytea_columns
SELECT id, btrim(data, '\xef'::bytea), ltrim(data, '\xdead'::bytea), rtrim(data, '\xbeef'::bytea) FROM misc ORDER BY id;

-- name: lpad_rpad
SELECT lpad('hi', 5), rpad('hi', 5), lpad('hi', 5, 'xy'), rpad('hi', 5, 'xy'), lpad('hello', 3), rpad('hello', 3);
-- name: lpad_empty_fill
SELECT lpad('hi', 5, ''), rpad('hi', 0), lpad('', 3, 'a'), lpad('hi', -1);
-- name: lpad_columns
SELECT id, lpad(vc, 12, '.'), rpad(vc, 12, '*') FROM texts ORDER BY id;
-- name: lpad_unicode
SELECT lpad('ß', 3, 'é'), rpad('東京', 5, '都'), lpad('x', 4, '😀');
-- name: lpad_numbers
SELECT id, lpad(id::text, 5, '0') FROM texts ORDER BY id;

-- name: repeat_values
SELECT repeat('ab', 3), repeat('x', 0), repeat('x', -1), repeat('ß', 2), repeat('', 5);
-- name: repeat_columns
SELECT id, repeat(vc, 2) FROM texts ORDER BY id;
-- name: reverse_values
SELECT reverse('hello'), reverse('Straße'), reverse('😀ab'), reverse(''), reverse('東京都');
-- name: reverse_columns
SELECT id, reverse(t), reverse(c) FROM texts ORDER BY id;

-- name: split_part_basic
SELECT split_part('a,b,c', ',', 1), split_part('a,b,c', ',', 3), split_part('a,b,c', ',', 4), split_part('a,,c', ',', 2);
-- name: split_part_negative
SELECT split_part('a,b,c', ',', -1), split_part('a,b,c', ',', -3), split_part('a,b,c', ',', -4);
-- name: split_part_zero
-- error: 22023
SELECT split_part('a,b,c', ',', 0);
-- name: split_part_multichar
SELECT split_part('a::b::c', '::', 2), split_part('abc', '', 1), split_part('', ',', 1), split_part('abc', 'abc', 1);
-- name: split_part_columns
SELECT id, split_part(t, ',', 2), split_part(t, ' ', 1), split_part(t, ' ', -1) FROM texts ORDER BY id;
-- name: split_part_unicode
SELECT split_part('ß😀é😀東', '😀', 2), split_part('Zürich Ölçek ñandú', ' ', -1);

-- name: concat_operator
SELECT 'a' || 'b', 'a' || NULL, 'a' || 1, 1 || 'a', 'x' || 1.50 || true;
-- name: concat_func
SELECT concat('a', NULL, 'b', 1, 2.5, true), concat(NULL), concat_ws(',', 'a', NULL, 'b'), concat_ws(NULL, 'a', 'b');
-- name: concat_ws_columns
SELECT id, concat_ws(' | ', t, vc, c, lang) FROM texts ORDER BY id;
-- name: concat_columns
SELECT id, concat(t, vc), t || vc, concat(c, '!'), c || '!' FROM texts ORDER BY id;
-- name: concat_types
SELECT concat(1, 2), 1::text || 2::text, concat(date '2024-01-02', ' ', time '03:04'), concat(ARRAY[1,2]);
-- name: concat_with_numbers_columns
SELECT id, 'n=' || n, concat('f=', f8), 'i=' || i8 FROM numbers ORDER BY id;
-- name: concat_char_padding
SELECT 'ab'::char(5) || 'x', concat('ab'::char(5), 'x'), 'ab'::char(5)::text || 'x', 'ab'::varchar(5) || 'x';
-- name: concat_array_text
SELECT ARRAY['a'] || 'b'::text, 'z'::text || ARRAY['a', 'b'];
-- name: concat_unknown_array
-- error: 22P02
SELECT 'z' || ARRAY['a', 'b'];

-- name: md5_values
SELECT md5(''), md5('hello'), md5('Straße'), md5('\xdeadbeef'::bytea);
-- name: md5_columns
SELECT id, md5(t) FROM texts ORDER BY id;
-- name: sha_functions
SELECT sha256('abc'::bytea), sha224(''::bytea), sha512('a'::bytea);
-- name: sha_functions_columns
SELECT id, sha224(data), sha256(data), sha384(data), sha512(data), pg_typeof(sha384(data)) FROM misc ORDER BY id;
-- name: hash_encode
SELECT encode(sha256('hello'::bytea), 'hex'), encode('hello'::bytea, 'base64'), encode('\x00ff'::bytea, 'escape');
-- name: decode_values
SELECT decode('aGVsbG8=', 'base64'), decode('deadbeef', 'hex'), decode('a\000b', 'escape');
-- name: ascii_chr
SELECT ascii('A'), ascii('a'), ascii(''), ascii('ß'), ascii('😀'), chr(65), chr(223), chr(128512), chr(26481);
-- name: chr_zero
-- error: 54000
SELECT chr(0);
-- name: ascii_columns
SELECT id, ascii(t), ascii(c) FROM texts ORDER BY id;
-- name: to_hex_values
SELECT to_hex(255), to_hex(-1), to_hex(0), to_hex(2147483647), to_hex(9223372036854775807), to_hex(-9223372036854775808);
-- name: to_hex_columns
SELECT id, to_hex(i4), to_hex(i8) FROM numbers WHERE i4 IS NOT NULL ORDER BY id;

-- name: quote_ident_values
SELECT quote_ident('abc'), quote_ident('Abc'), quote_ident('a b'), quote_ident('select'), quote_ident('a"b'), quote_ident('ß'), quote_ident('_x1');
-- name: quote_literal_values
SELECT quote_literal('abc'), quote_literal('it''s'), quote_literal(E'back\\slash'), quote_literal(42), quote_literal(NULL::text);
-- name: quote_nullable_values
SELECT quote_nullable('x'), quote_nullable(NULL::text), quote_nullable(1.5), quote_nullable(date '2024-01-01');
-- name: quote_columns
SELECT id, quote_ident(t), quote_literal(t), quote_nullable(vc) FROM texts ORDER BY id;

-- name: format_basic
SELECT format('Hello %s', 'World'), format('%s-%s', 1, 2), format('%%'), format('no args');
-- name: format_identifiers
SELECT format('SELECT %I FROM %I.%I', 'col', 'My Schema', 'tab'), format('%I', 'select'), format('%I', 'abc');
-- name: format_literals
SELECT format('WHERE x = %L', 'it''s'), format('%L', NULL), format('%L', 42), format('%s', NULL);
-- name: format_positional
SELECT format('%2$s %1$s', 'a', 'b'), format('%1$s %1$s', 'x'), format('%3$s', 'a', 'b', 'c');
-- name: format_width
SELECT format('[%10s]', 'abc'), format('[%-10s]', 'abc'), format('[%5s]', 'toolongvalue'), format('[%*s]', 6, 'x');
-- name: format_width_unicode
SELECT format('[%6s]', 'ß😀'), format('[%-4s]', '東京');
-- name: format_width_arguments
SELECT format('[%*s]', -6, 'x'), format('[%-*s]', 6, 'x'), format('[%*s]', NULL::int, 'x'), format('[%1$*2$s]', 'ab', 5), format('[%*2$s]', 'a', 4, 'b'), format('[%2$-3s|%1$3s]', 'a', 'b'), format('[%*s]', 2::int2, 'xyz');
-- name: format_width_quoting
SELECT format('[%10L]', NULL), format('[%-8L]', 'it''s'), format('[%12I]', 'My Col'), format('[%3$-6I]', 1, 2, 'x y'), format('[%0s]', 'a'), format('[%-s]', 'a'), format('[%--3s]', 'a');
-- name: format_width_columns
SELECT id, format('%-12s|%3$*2$s|', vc, id, lang) FROM texts ORDER BY id;
-- name: format_width_position_unterminated
-- error: 22023
SELECT format('%*1s', 5, 'a');
-- name: format_unterminated_width
-- error: 22023
SELECT format('abc %10');
-- name: format_unterminated_position
-- error: 22023
SELECT format('%1$', 'a');
-- name: format_width_too_few_args
-- error: 22023
SELECT format('%*s', 5);
-- name: format_width_number_out_of_range
-- error: 22003
SELECT format('%99999999999s', 'a');
-- name: format_width_null_identifier
-- error: 22004
SELECT format('%5I', NULL);
-- name: format_bad_conversion_no_rows
SELECT format('%d', id) FROM texts WHERE false;
-- name: format_bad_conversion_after_width
-- error: 22023
SELECT format('%-5x', 1);
-- name: format_types
SELECT format('%s %s %s %s', 1.50, true, date '2024-01-02', ARRAY[1, 2]);
-- name: format_columns
SELECT id, format('%s (%s): %L', vc, lang, t) FROM texts ORDER BY id;
-- name: format_too_few_args
-- error: 22023
SELECT format('%s %s', 'a');
-- name: format_bad_conversion
-- error: 22023
SELECT format('%d', 1);
-- name: format_variadic_array
SELECT format('%s and %s', VARIADIC ARRAY['x', 'y']);

-- name: string_agg_basic
SELECT string_agg(vc, ',' ORDER BY id) FROM texts;
-- name: string_agg_unordered_single
SELECT string_agg(t, ';') FROM texts WHERE id = 1;
-- name: string_agg_order_desc
SELECT string_agg(lang, '|' ORDER BY lang DESC, id) FROM texts;
-- name: string_agg_distinct
SELECT string_agg(DISTINCT lang, ',' ORDER BY lang) FROM texts;
-- name: string_agg_null_delimiter
SELECT string_agg(vc, NULL ORDER BY id) FROM texts WHERE id < 4;
-- name: string_agg_empty
SELECT string_agg(t, ',') FROM texts WHERE id < 0;
-- name: string_agg_group
SELECT lang, string_agg(vc, ', ' ORDER BY vc) FROM texts GROUP BY lang ORDER BY lang;
-- name: string_agg_bytea
SELECT string_agg(data, '\x2c'::bytea ORDER BY id) FROM misc;
-- name: string_agg_bytea_delimiters
SELECT string_agg(data, CASE WHEN id = 2 THEN NULL ELSE '\x00ff'::bytea END ORDER BY id DESC), string_agg(data, NULL ORDER BY id), string_agg(NULL::bytea, '\x00'::bytea), pg_typeof(string_agg(data, ''::bytea)) FROM misc;
-- name: string_agg_bytea_grouped
SELECT flag, string_agg(convert_to(note, 'UTF8'), '\x7c'::bytea ORDER BY id) FROM misc GROUP BY flag ORDER BY flag NULLS FIRST;
-- name: string_agg_char
SELECT string_agg(c, '/' ORDER BY id) FROM texts WHERE id < 8;
-- name: string_agg_filter
SELECT string_agg(vc, ',' ORDER BY id) FILTER (WHERE lang = 'en') FROM texts;
-- name: string_agg_numbers
SELECT string_agg(id::text, '-' ORDER BY id DESC) FROM texts;

-- name: string_compare
SELECT 'a' < 'b', 'a' < 'B', 'Z' < 'a', 'abc' < 'abd', '' < 'a', 'é' > 'z';
-- name: char_compare_padding
SELECT 'ab'::char(5) = 'ab'::char(3), 'ab '::char(5) = 'ab', 'ab'::varchar = 'ab ', 'ab'::char(3) = 'ab  '::text;
-- name: char_column_equality
SELECT id FROM texts WHERE c = 'ab' ORDER BY id;
-- name: char_column_like
SELECT id FROM texts WHERE c LIKE 'ab%' ORDER BY id;
-- name: varchar_equality
SELECT id FROM texts WHERE vc = 'trail' ORDER BY id;
-- name: varchar_trailing_equality
SELECT id FROM texts WHERE vc = 'trail  ' ORDER BY id;
-- name: text_min_max
SELECT min(t), max(t), min(vc), max(vc), min(c), max(c) FROM texts;
-- name: text_order
SELECT id, t FROM texts ORDER BY t, id;
-- name: text_order_desc
SELECT id, vc FROM texts ORDER BY vc DESC, id;
-- name: char_order
SELECT id, c FROM texts ORDER BY c, id;
-- name: empty_vs_null
SELECT id, t = '', t IS NULL, coalesce(t, '<null>'), nullif(t, '') FROM texts WHERE id IN (7, 8, 1) ORDER BY id;
-- name: char_empty
SELECT ''::char(3), length(''::char(3)), ''::char(3) = '', '   '::char(3) = ''::char(3);

-- name: varchar_cast_truncates
SELECT 'abcdefghij'::varchar(3), 'ab   '::varchar(2), 'ßßß'::varchar(2);
-- name: varchar_typmod
SELECT 'abc'::varchar(5), 'abc'::char(5), 'abcdef'::char(3), ('ab'::char(4))::varchar;
-- name: char_typmod_columns
SELECT vc::char(3), c::varchar(3), t::varchar(4) FROM texts ORDER BY id;
-- name: char_one_default
SELECT 'abc'::char, 'abc'::character, ''::char, 'x'::"char";
-- name: text_to_name
SELECT 'abc'::name, pg_typeof('abc'::name), repeat('x', 70)::name;
-- name: string_to_bool
SELECT 'yes'::bool, 'off'::bool, 't'::bool, '1'::bool, ' true '::bool;
-- name: bool_to_string
SELECT true::text, false::varchar, true || '', concat(false);

-- name: concat_ws_numbers
SELECT concat_ws('-', 2024, 1, 31), concat_ws('', 'a', 'b'), concat_ws(', ', VARIADIC ARRAY['x', NULL, 'z']);
-- name: lower_upper_null
SELECT upper(NULL), lower(NULL::text), length(NULL), initcap(NULL);
-- name: chained_functions
SELECT id, upper(left(trim(t), 4)) || '…' || length(t) FROM texts WHERE t IS NOT NULL ORDER BY id;
-- name: text_in_where
SELECT id FROM texts WHERE lower(t) LIKE '%e%' ORDER BY id;
-- name: text_group_by_length
SELECT length(t) AS len, count(*) FROM texts GROUP BY 1 ORDER BY 1 NULLS FIRST;
-- name: text_group_by_upper
SELECT upper(lang), count(*), min(id) FROM texts GROUP BY upper(lang) ORDER BY 1 NULLS LAST;
-- name: string_to_table_basic
SELECT * FROM string_to_table('a,b,,c', ',');
-- name: string_to_table_null
SELECT x FROM string_to_table('a b c', ' ', 'b') x;
-- name: string_to_table_null_args
SELECT x, x IS NULL FROM string_to_table('a,,b,', ',', '') WITH ORDINALITY AS t(x, n) ORDER BY n;
-- name: string_to_table_select_list
SELECT string_to_table('x|y|NULL', '|', 'NULL'), string_to_table(NULL, ',', 'a');
-- name: unistr_escape
SELECT U&'d\0061t\+000061', E'\u00e9', E'\x41', E'a\tb';
-- name: normalize_unicode
SELECT normalize(U&'e\0301', NFC) = 'é', length(normalize(U&'e\0301', NFC)), length(U&'e\0301'), 'é' IS NFC NORMALIZED;
-- name: text_bytea_conversions
SELECT convert_to('ß', 'UTF8'), convert_from('\xc39f'::bytea, 'UTF8'), 'abc'::bytea, '\x616263'::bytea::text;
-- name: convert_encodings
SELECT convert_to('aé', 'LATIN1'), convert_from('\x61e9ff'::bytea, 'latin1'), convert_to('é', 'utf-8'), convert_from('\xe282ac'::bytea, 'Unicode'), convert_to('é', 'ISO_8859_1'), pg_typeof(convert_from('\x41', 'UTF8'));
-- name: convert_columns
SELECT id, convert_to(t, 'UTF8'), convert_from(convert_to(t, 'UTF8'), 'UTF8') = t FROM texts ORDER BY id;
-- name: convert_from_invalid_utf8
-- error: 22021
SELECT convert_from('\x61ff'::bytea, 'UTF8');
-- name: convert_from_truncated_utf8
-- error: 22021
SELECT convert_from('\xc3'::bytea, 'UTF8');
-- name: convert_from_nul
-- error: 22021
SELECT convert_from('\x6100'::bytea, 'LATIN1');
-- name: convert_to_latin1_unmappable
-- error: 22P05
SELECT convert_to('東京', 'LATIN1');
-- name: bytea_concat
SELECT '\x01'::bytea || '\x02'::bytea, '\xdead'::bytea || ''::bytea;
-- name: encode_columns
SELECT id, encode(data, 'hex'), encode(data, 'base64'), encode(data, 'escape') FROM misc ORDER BY id;
-- name: string_with_quotes_output
SELECT 'it''s', E'quote "x"', '\\', E'\\', '$$', $$dollar 'quoted'$$, $t$tagged$t$;
-- name: bit_strings
SELECT B'1010', X'1F', B'1010' | B'0101', B'1100' & B'1010', length(B'101');
-- name: regexp_count_like_ops
SELECT id, t ~~ '%a%', t !~~ '%a%', t ~~* '%A%' FROM texts ORDER BY id;
-- name: initcap_null_empty
SELECT initcap(''), upper(''), lower(''), reverse(NULL);
-- name: unknown_times_int
-- error: 22P02
SELECT 'abc' * 2;
-- name: text_times_int
-- error: 42883
SELECT 'abc'::text * 2;
-- name: length_of_integer
-- error: 42883
SELECT length(12345);
-- name: substr_integer_implicit
SELECT substr(12345::text, 2, 2), length(12345::text), upper(true::text);
-- name: text_plus_unknown
SELECT 'abc' || 'def' || NULL || 'x' IS NULL;
-- name: concat_vs_operator_null
SELECT id, concat(t, '!') IS NULL, (t || '!') IS NULL FROM texts ORDER BY id;
-- name: gen_random_uuid_shape
SELECT length(gen_random_uuid()::text), substr(gen_random_uuid()::text, 15, 1), gen_random_uuid() = gen_random_uuid(), count(DISTINCT gen_random_uuid()) FROM generate_series(1, 100);
-- name: normalize_forms
SELECT normalize(U&'\00C5', NFD) = U&'A\030A', normalize(U&'\FB01', NFKC), U&'\FB01' IS NFKC NORMALIZED, U&'A\030A' IS NOT NFC NORMALIZED, normalize(NULL::text, NFC);
