-- Attacks on the regex translation (pgregex): patterns and inputs where
-- Hotdata's answer might differ from PostgreSQL's.

-- name: rx_hex_escape_many_digits
SELECT 'AB' ~ '^\x41B$', 'A' ~ '^\x0041$', regexp_replace('xAy', '\x41', '-');
-- name: rx_brace_not_quantifier
SELECT 'a{,3}' ~ 'a{,3}', 'a{' ~ 'a{', 'a{x}' ~ '^a{x}$';
-- name: rx_double_bounded_quantifier
-- error: 2201B
SELECT 'aaaaaa' ~ 'a{2}{3}';
-- name: rx_nested_repeat_large_go_limit
SELECT 'a' ~ '(a{100}){20}', repeat('a', 2000) ~ '^(a{100}){20}$';
-- name: rx_class_repeat_large
SELECT repeat('x', 300) ~ '^[[:alpha:]]{255}';
-- name: rx_bracket_close_first
SELECT ']' ~ '[]a]', 'b' ~ '[^]a]', '-' ~ '[a-]', '^' ~ '[a^]';
-- name: rx_collating_element
SELECT '-' ~ '[[.hyphen.]]', 'a' ~ '[[.a.]]', '.' ~ '[[.period.]]';
-- name: rx_equivalence_class
SELECT 'a' ~ '[[=a=]]', 'b' ~ '[[=a=]]';
-- name: rx_word_boundary_bracket
SELECT 'foo bar' ~ '[[:<:]]bar', 'foobar' ~ '[[:<:]]bar';
-- name: rx_backslash_upper_b
SELECT 'a\b' ~ 'a\Bb', 'ab' ~ 'a\Bb';
-- name: rx_escape_e_and_c
SELECT E'\x1b' ~ '\e', E'\x01' ~ '\cA', E'\x01' ~ '\ca';
-- name: rx_octal_escapes
SELECT 'A' ~ '\101', 'A' ~ '\0101', E'\x08' ~ '\010';
-- name: rx_unicode_escapes
SELECT 'é' ~ '\u00e9', 'é' ~ '\U000000e9', '😀' ~ '\U0001F600';
-- name: rx_nul_escape
SELECT 'a' ~ '\x0';
-- name: rx_class_escape_in_bracket
SELECT 'a1' ~ '^[\w]+$', ' ' ~ '[\s]', 'x' ~ '[\W]', '5' ~ '[^\d]';
-- name: rx_icase_range
SELECT 'K' ~* '[a-z]', 'ǅ' ~* 'ǆ', 'ß' ~* 'SS', 'ſ' ~* 's', 'K' ~* 'k';
-- name: rx_icase_greek_sigma
SELECT 'ς' ~* 'Σ', 'σ' ~* 'ς', 'Σ' ~* 'ς';
-- name: rx_newline_sensitive_dollar
SELECT regexp_replace(E'a\nb\n', '$', 'X', 'gn'), regexp_replace(E'a\nb\n', '^', 'X', 'gn');
-- name: rx_partial_newline_p
SELECT regexp_replace(E'a\nb', '^b', 'X', 'p'), regexp_replace(E'a\nb', 'a.b', 'X', 'p'), regexp_replace(E'a\nb', 'a$', 'X', 'w');
-- name: rx_longest_alternation
SELECT regexp_replace('abcd', 'a|ab|abc', 'X'), substring('xyz' from 'x|xy|xyz'), regexp_replace('abcd', '(a|ab)(c|bcd)', '[\1,\2]');
-- name: rx_empty_matches_global
SELECT regexp_replace('abc', 'x*', '-', 'g'), regexp_replace('abc', '', '-', 'g'), regexp_count('abc', 'x*');
-- name: rx_split_empty
SELECT regexp_split_to_array('abc', ''), regexp_split_to_array('abc', 'x*'), regexp_split_to_array('', 'a');
-- name: rx_replace_backrefs
SELECT regexp_replace('abc', '(b)', '\\1\1\&\0&'), regexp_replace('abc', 'b', '\\');
-- name: rx_expanded_mode
SELECT 'ab' ~ '(?x) a b # comment', 'a b' ~ '(?x)a\ b', 'a b' ~ '(?x)a[ ]b';
-- name: rx_embedded_options_mid
-- error: 2201B
SELECT 'ab' ~ 'a(?i)b';
-- name: rx_quote_director
SELECT 'a.b' ~ '***=a.b', 'axb' ~ '***=a.b', 'AB' ~ '(?q)ab', 'ab' ~ '***:(?i)AB';
-- name: rx_embedded_then_director
SELECT 'a.b' ~ '(?q)a.b';
-- name: rx_similar_escapes
SELECT 'a%b' SIMILAR TO 'a\%b', 'axb' SIMILAR TO 'a_b', 'ab' SIMILAR TO '(a|b)*', 'a.b' SIMILAR TO 'a.b', 'a+' SIMILAR TO 'a\+';
-- name: rx_similar_substring
SELECT substring('foobar' similar 'f#"o+#"bar' escape '#'), substring('abc' similar '%#"b#"%' escape '#');
-- name: rx_regexp_instr_options
SELECT regexp_instr('abcabc', 'b', 1, 2), regexp_instr('abcabc', 'b', 1, 2, 1), regexp_substr('abcabc', 'c', 2), regexp_like('ABC', 'b', 'i');
-- name: rx_count_start_beyond
SELECT regexp_count('abc', 'a', 4), regexp_count('abc', '', 4), regexp_instr('abc', '$', 4);
-- name: rx_dollar_before_final_newline
SELECT E'a\n' ~ 'a$', E'a\n' ~ 'a\Z', 'a' ~ 'a\Z';
-- name: rx_brace_literal_close
SELECT 'a}' ~ 'a}', '}' ~ '^}$';
-- name: rx_bracket_range_reverse
-- error: 2201B
SELECT 'b' ~ '[z-a]';
-- name: rx_bracket_class_in_range
-- error: 2201B
SELECT 'b' ~ '[a-[:digit:]]';
-- name: rx_dot_icase_nlstop
SELECT regexp_replace(E'A\nB', 'a.b', 'X', 'in'), regexp_replace(E'A\nB', 'a[^x]b', 'X', 'in');
-- name: rx_nonascii_bracket_range
SELECT 'é' ~ '[a-z]', 'é' ~* '[A-Z]', 'ÿ' ~ '[à-ÿ]';
-- name: rx_digits_unicode
SELECT '٣' ~ '\d', '٣' ~ '[[:digit:]]', 'Ⅻ' ~ '[[:alnum:]]', ' ' ~ '\s', '​' ~ '\s';
-- name: rx_regexp_match_global_flag
-- error: 22023
SELECT regexp_match('abc', 'b', 'g');
-- name: rx_flags_unknown
-- error: 22023
SELECT regexp_replace('abc', 'b', 'x', 'z');
-- name: rx_max_repetition_255
SELECT repeat('a', 255) ~ '^a{255}$', 'a' ~ 'a{0,255}';
-- name: rx_zero_repetition
SELECT 'b' ~ '^a{0}b$', regexp_replace('aab', 'a{0}', 'X', 'g');
-- name: rx_icase_kelvin_long_s
SELECT U&'\212A' ~* '[a-z]', U&'\017F' ~* '[a-z]', U&'\212A' ~* 'k', 'k' ~* U&'\212A', U&'\017F' ~* 's', 's' ~* U&'\017F';
-- name: rx_icase_dotted_i
SELECT 'i' ~* U&'\0130', U&'\0130' ~* 'i', U&'\0131' ~* 'I', 'I' ~* U&'\0131';
-- name: rx_icase_bracket_kelvin
SELECT U&'\212A' ~* '[k]', 'k' ~* U&'[\212A]', U&'\212A' ~* '[^a]', 'K' ~* '[^k]';
-- name: rx_icase_negated_bracket
SELECT 'A' ~* '[^a]', 'a' ~* '[^A]', 'B' ~* '^[^a]$';
-- name: rx_hex_escape_too_many_digits
SELECT 'A' ~ '\x00000041';
-- name: rx_nul_in_bracket
SELECT 'a' ~ '[\x0-a]', 'b' ~ '[^\x0]';
-- name: rx_backref_in_bracket_octal
-- error: 2201B
SELECT E'\x01' ~ '[\1]', 'A' ~ '[\101]';
-- name: rx_regexp_matches_empty_and_global
SELECT array_agg(m::text) FROM regexp_matches('aaa', 'a*', 'g') m;
-- name: rx_regexp_matches_lookahead_like
SELECT array_agg(m::text) FROM regexp_matches('abab', '(?:ab)*', 'g') m;
-- name: rx_replace_start_n
SELECT regexp_replace('aaaa', 'a', 'X', 2, 2), regexp_replace('aaaa', 'a', 'X', 2, 0), regexp_replace('aaaa', '^a', 'X', 2);
-- name: rx_substr_subexpr
SELECT regexp_substr('abc', '(b)(c)', 1, 1, '', 2), regexp_instr('abcbc', '(b)(c)', 1, 2, 0, '', 1);
-- name: rx_expanded_in_bracket_space
SELECT 'a b' ~ '(?x)a[ ]b', 'a#b' ~ '(?x)a[#]b', 'ab' ~ '(?x)a{1, 2}b';
-- name: rx_quantifier_spaces_expanded
SELECT 'aab' ~ '(?x)^a {2} b$', 'aab' ~ '(?x)^a{2 }b$';
-- name: rx_mixed_greedy_match
SELECT 'xy1234z' ~ 'y*?([0-9]{1,3})', regexp_replace('XY1234Z', 'Y*?([0-9]{1,3})', '[\1]');
-- name: rx_nonascii_class_negated
SELECT '€' ~ '[^[:alpha:]]', '€' ~ '\W', 'é' ~ '\w', '_' ~ '\w', '٣' ~ '\w';
-- name: rx_escape_in_bracket_dash
SELECT '-' ~ '[a\-z]', '\' ~ '[\\]', 'b' ~ '[a\-z]';
