-- inet and cidr, money, bit and bit varying, time with time zone: input
-- in every form PostgreSQL accepts (and its errors), output, casts,
-- operators, functions, ordering and aggregates, over table nets and
-- literals, under several time zones for timetz.

-- name: inet_columns
SELECT id, ip, net FROM nets ORDER BY id;
-- name: inet_literals
SELECT '192.168.0.1/24'::inet, '10.1.2.3'::inet, '::ffff:1.2.3.4'::inet, '2001:DB8::1'::inet, '1.2.3.4.'::inet, '::2'::inet, '::1.2.3.4'::inet, '1::'::inet, '::'::inet;
-- name: inet_short_forms
SELECT '10/8'::inet, '10.1/16'::inet, '10.1.2/24'::inet, '0/0'::inet;
-- name: cidr_literals
SELECT '10/8'::cidr, '10.1'::cidr, '224'::cidr, '0x0a'::cidr, '192.168'::cidr, '128'::cidr, '240.1'::cidr, '2001:db8::/32'::cidr;
-- name: inet_bad_octet
-- error: 22P02
SELECT '300.1.1.1'::inet;
-- name: inet_bad_mask
-- error: 22P02
SELECT '1.2.3.4/33'::inet;
-- name: inet_bad_space
-- error: 22P02
SELECT ' 1.2.3.4'::inet;
-- name: inet_bad_v6
-- error: 22P02
SELECT '1:2:3:4:5:6:7:8:9'::inet;
-- name: inet_bad_empty
-- error: 22P02
SELECT ''::inet;
-- name: cidr_host_bits
-- error: 22P02
SELECT '192.168.1.1/24'::cidr;
-- name: cidr_v6_host_bits
-- error: 22P02
SELECT '::ffff:1.2.3.4/120'::cidr;
-- name: inet_host_masklen_family
SELECT id, host(ip), masklen(ip), family(ip), host(net), masklen(net), family(net) FROM nets ORDER BY id;
-- name: inet_network_broadcast
SELECT id, network(ip), broadcast(ip), netmask(ip), hostmask(ip) FROM nets ORDER BY id;
-- name: cidr_masks
SELECT id, broadcast(net), netmask(net), hostmask(net) FROM nets ORDER BY id;
-- name: inet_text_abbrev
SELECT id, text(ip), abbrev(ip), text(net), abbrev(net), ip::text, net::text FROM nets ORDER BY id;
-- name: cidr_abbrev_literals
SELECT abbrev('10.128.0.0/9'::cidr), abbrev('10.0.0.0/8'::cidr), abbrev('0.0.0.0/0'::cidr), abbrev('2001:db8::/32'::cidr), abbrev('::ffff:1.2.3.0/120'::cidr), abbrev('::/0'::cidr), abbrev('1:2::/33'::cidr);
-- name: inet_set_masklen
SELECT id, set_masklen(ip, 16), set_masklen(net, 0) FROM nets WHERE family(ip) = 4 ORDER BY id;
-- name: inet_set_masklen_default
SELECT set_masklen('10.1.2.3/8'::inet, -1), set_masklen('::1/64'::inet, -1), set_masklen('10.0.0.0/8'::cidr, -1);
-- name: inet_set_masklen_bad
-- error: 22023
SELECT set_masklen('10.1.2.3'::inet, 33);
-- name: cidr_set_masklen_bad
-- error: 22023
SELECT set_masklen('::/0'::cidr, 129);
-- name: inet_to_cidr
SELECT id, ip::cidr, cidr(ip) FROM nets ORDER BY id;
-- name: cidr_to_inet
SELECT id, net::inet, net::inet::text FROM nets ORDER BY id;
-- name: inet_cast_text_roundtrip
SELECT id, ip::text::inet, net::varchar::cidr, ip::varchar(12) FROM nets ORDER BY id;
-- name: inet_order
SELECT id, ip FROM nets ORDER BY ip NULLS FIRST, id;
-- name: inet_order_desc
SELECT id, ip FROM nets ORDER BY ip DESC NULLS LAST, id;
-- name: cidr_order
SELECT id, net FROM nets ORDER BY net, id;
-- name: inet_order_mixed_values
SELECT v FROM (VALUES ('10.0.0.0/8'::inet), ('10.0.0.0/16'), ('10.0.0.1/8'), ('9.255.255.255'), ('::'), ('10.0.0.0'), ('10.0.0.0/7'), ('0.0.0.0/0'), ('::ffff:0.0.0.0/96')) t(v) ORDER BY v;
-- name: inet_compare_ops
SELECT a.id, b.id, a.ip < b.ip, a.ip <= b.ip, a.ip = b.ip, a.ip <> b.ip, a.ip >= b.ip, a.ip > b.ip FROM nets a, nets b WHERE a.id IN (1, 2, 9, 10) AND b.id IN (1, 7, 9, 10) ORDER BY a.id, b.id;
-- name: inet_cidr_equal
SELECT '1.2.3.4/32'::cidr = '1.2.3.4'::inet, '10.0.0.0/8'::cidr = '10.0.0.0/8'::inet, '1.2.3.4'::inet = '1.2.3.4/32'::inet, network_cmp('1.2.3.4'::inet, '1.2.3.5'::inet);
-- name: inet_containment
SELECT a.id, b.id, a.ip << b.net, a.ip <<= b.net, b.net >> a.ip, b.net >>= a.ip, a.ip && b.net FROM nets a, nets b WHERE a.ip IS NOT NULL AND b.net IS NOT NULL ORDER BY a.id, b.id;
-- name: inet_filter_contained
SELECT id FROM nets WHERE ip << '10.0.0.0/7' OR ip <<= '192.168.1.0/24' ORDER BY id;
-- name: inet_filter_equal_literal
SELECT id FROM nets WHERE ip = '192.168.1.5' ORDER BY id;
-- name: inet_filter_between
SELECT id FROM nets WHERE ip BETWEEN '10.0.0.0' AND '192.168.255.255' ORDER BY id;
-- name: inet_same_family_merge
SELECT id, inet_same_family(ip, '10.0.0.1'), inet_merge(ip, '10.200.0.0/16') FROM nets WHERE family(ip) = 4 ORDER BY id;
-- name: inet_merge_literals
SELECT inet_merge('192.168.1.5/24', '192.168.2.5/24'), inet_merge('2001:db8::1', '2001:db8::ff'), inet_merge('10.0.0.1', '10.0.0.1');
-- name: inet_merge_families
-- error: 22023
SELECT inet_merge('10.0.0.1'::inet, '::1'::inet);
-- name: inet_bitwise
SELECT id, ~ip, ip & '255.255.0.0', ip | '0.0.255.255' FROM nets WHERE family(ip) = 4 ORDER BY id;
-- name: inet_bitwise_v6
SELECT ~'::1'::inet, '2001:db8::1'::inet & 'ffff:ffff::'::inet, '::1/64'::inet | '::ff00/120'::inet;
-- name: inet_and_families
-- error: 22023
SELECT '10.0.0.1'::inet & '::1'::inet;
-- name: inet_or_families
-- error: 22023
SELECT '10.0.0.1'::inet | '::1'::inet;
-- name: inet_plus_minus
SELECT id, ip + 1, ip - 1, 256 + ip, ip - '0.0.0.0'::inet FROM nets WHERE family(ip) = 4 AND id NOT IN (7, 8) ORDER BY id;
-- name: inet_plus_v6
SELECT '::1'::inet + 9223372036854775807, '2001:db8::'::inet - 1, '::ffff:1.2.3.4'::inet - '::ffff:1.2.3.0'::inet;
-- name: inet_plus_overflow
-- error: 22003
SELECT '255.255.255.255'::inet + 1;
-- name: inet_minus_underflow
-- error: 22003
SELECT '0.0.0.0'::inet - 1;
-- name: inet_minus_families
-- error: 22023
SELECT '10.0.0.1'::inet - '::1'::inet;
-- name: inet_minus_too_wide
-- error: 22003
SELECT 'ffff::'::inet - '::'::inet;
-- name: inet_minus_wide_ok
SELECT '::7fff:ffff:ffff:ffff'::inet - '::'::inet, '::'::inet - '::7fff:ffff:ffff:ffff'::inet, '::'::inet - '::8000:0:0:0'::inet;
-- name: inet_cidr_plus
SELECT '10.0.0.0/8'::cidr + 1, pg_typeof('10.0.0.0/8'::cidr + 1), '10.0.0.0/8'::cidr - '9.0.0.0/8'::cidr;
-- name: inet_min_max
SELECT min(ip), max(ip), min(net), max(net) FROM nets;
-- name: inet_group_by
SELECT network(ip), count(*) FROM nets GROUP BY network(ip) ORDER BY network(ip) NULLS FIRST;
-- name: inet_distinct
SELECT DISTINCT family(ip), masklen(ip) FROM nets ORDER BY 1 NULLS FIRST, 2;
-- name: inet_distinct_order
SELECT DISTINCT net FROM nets ORDER BY net NULLS FIRST;
-- name: inet_typeof
SELECT pg_typeof(network('1.2.3.4'::inet)), pg_typeof(host('1.2.3.4'::inet)), pg_typeof('1.2.3.4'::inet - '1.2.3.0'::inet), pg_typeof(inet_merge('1.2.3.4', '1.2.3.5')), pg_typeof(~'1.2.3.4'::inet);
-- name: inet_count_distinct
SELECT count(DISTINCT ip), count(DISTINCT net), count(DISTINCT family(ip)) FROM nets;
-- name: inet_in_list
SELECT id FROM nets WHERE ip IN ('10.0.0.1', '::1', '0.0.0.0/0') ORDER BY id;
-- name: inet_case_coalesce
SELECT id, coalesce(ip, '127.0.0.1'), CASE WHEN masklen(ip) = 32 THEN ip ELSE network(ip) END FROM nets ORDER BY id;
-- name: money_columns
SELECT id, amt FROM nets ORDER BY id;
-- name: money_input_forms
SELECT '12.345'::money, '(12.34)'::money, '12.34-'::money, ' $ -1,2,3.4 '::money, '$-1.235'::money, '+$5'::money, '5$'::money, '$1,2,3'::money, '1,,2'::money, '.5'::money;
-- name: money_input_empty
SELECT ''::money, '$'::money, '-'::money, '()'::money;
-- name: money_input_bad
-- error: 22P02
SELECT '1e3'::money;
-- name: money_input_bad_dots
-- error: 22P02
SELECT '1.2.3'::money;
-- name: money_input_too_big
-- error: 22003
SELECT '92233720368547758.08'::money;
-- name: money_input_round_over
-- error: 22003
SELECT '92233720368547758.075'::money;
-- name: money_input_min
-- error: 22003
SELECT '-92233720368547758.08'::money, '-92233720368547758.085'::money;
-- name: money_arith
SELECT id, amt + '1'::money, amt - '0.01'::money, amt * 2, amt / 4, 3 * amt FROM nets WHERE id NOT IN (4, 5) ORDER BY id;
-- name: money_float_arith
SELECT id, amt * 1.5::float8, amt / 3::float8, amt * 0.5::float4, 2.5::float8 * amt, amt / 0.25::float4 FROM nets WHERE id NOT IN (4, 5) ORDER BY id;
-- name: money_half_even
SELECT '0.03'::money * 0.5::float8, '0.05'::money * 0.5::float8, '0.01'::money / 2::float8, '0.03'::money / 2::float8, '0.07'::money / 2, '-0.07'::money / 2;
-- name: money_int_types
SELECT '1.23'::money * 2::int2, '1.23'::money * 2::int8, '7'::money / 2::int2, '-7'::money / 2::int8, 3::int2 * '1'::money, 4::int8 * '1.01'::money;
-- name: money_div_money
SELECT id, amt / '2'::money, pg_typeof(amt / '2'::money) FROM nets WHERE id <> 6 ORDER BY id;
-- name: money_plus_overflow
-- error: 22003
SELECT '92233720368547758.07'::money + '0.01'::money;
-- name: money_minus_overflow
-- error: 22003
SELECT '-92233720368547758.08'::money - '0.01'::money;
-- name: money_mul_overflow
-- error: 22003
SELECT '92233720368547758.07'::money * 2;
-- name: money_mul_float_overflow
-- error: 22003
SELECT '1'::money * 1e300::float8;
-- name: money_mul_nan
-- error: 22003
SELECT '1'::money * 'nan'::float8;
-- name: money_div_zero
-- error: 22012
SELECT '1'::money / 0;
-- name: money_div_zero_float
-- error: 22012
SELECT '1'::money / 0::float8;
-- name: money_div_money_zero
-- error: 22012
SELECT '1'::money / '0'::money;
-- name: money_div_min_neg1
-- error: 22003
SELECT '-92233720368547758.08'::money / -1::int8;
-- name: money_div_inf
SELECT '1'::money / 'infinity'::float8, '-5'::money / '-infinity'::float8;
-- name: money_compare
SELECT a.id, b.id, a.amt < b.amt, a.amt = b.amt, a.amt >= b.amt FROM nets a, nets b WHERE a.id IN (2, 3, 9) AND b.id IN (3, 7, 9) ORDER BY a.id, b.id;
-- name: money_order
SELECT id, amt FROM nets ORDER BY amt NULLS FIRST, id;
-- name: money_order_desc
SELECT id, amt FROM nets ORDER BY amt DESC, id;
-- name: money_min_max
SELECT min(amt), max(amt) FROM nets;
-- name: money_sum
SELECT sum(amt) FROM nets WHERE id NOT IN (4, 5);
-- name: money_sum_overflow
-- error: 22003
SELECT sum(amt) FROM nets WHERE id IN (4, 8);
-- name: money_sum_empty
SELECT sum(amt), pg_typeof(sum(amt)) FROM nets WHERE id = 6;
-- name: money_avg_missing
-- error: 42883
SELECT avg(amt) FROM nets;
-- name: money_uminus_missing
-- error: 42883
SELECT -amt FROM nets;
-- name: money_group_by
SELECT amt, count(*) FROM nets GROUP BY amt ORDER BY amt NULLS LAST;
-- name: money_to_numeric
SELECT id, amt::numeric, pg_typeof(amt::numeric) FROM nets ORDER BY id;
-- name: numeric_to_money
SELECT 1.005::numeric::money, (-1.005)::numeric::money, 92233720368547758.07::numeric::money, 12.345::money, 0.004::money, 1e-10::money;
-- name: numeric_to_money_nan
-- error: 0A000
SELECT 'nan'::numeric::money;
-- name: numeric_to_money_overflow
-- error: 22003
SELECT 92233720368547758.08::numeric::money;
-- name: int_to_money
SELECT 2147483647::money, 92233720368547758::int8::money, (-5)::money, 0::money;
-- name: int8_to_money_overflow
-- error: 22003
SELECT 92233720368547759::int8::money;
-- name: float_to_money_missing
-- error: 42846
SELECT 1.5::float8::money;
-- name: money_text_casts
SELECT id, amt::text, amt::varchar, ('$' || 5)::money FROM nets ORDER BY id;
-- name: money_from_numeric_column
SELECT id, n::money FROM numbers WHERE id IN (1, 2, 3, 6, 10, 12, 14, 15) ORDER BY id;
-- name: money_cash_words
SELECT cash_words('1234.56'::money), cash_words('-0.01'::money), cash_words('0'::money), cash_words('1.01'::money), cash_words('115.20'::money), cash_words('92233720368547758.07'::money);
-- name: money_larger_smaller
SELECT cashlarger('1'::money, '2'::money), cashsmaller('1'::money, '-2'::money);
-- name: bit_columns
SELECT id, flags, vb FROM nets ORDER BY id;
-- name: bit_literals
SELECT B'1001', X'A1', b'', x'', B'1'::bit(1), X'F'::bit(4), '101'::varbit, 'x1F'::bit(8), 'B0101'::varbit(4);
-- name: bit_literal_bad_digit
-- error: 22P02
SELECT B'102';
-- name: bit_input_bad_digit
-- error: 22P02
SELECT '12'::bit(2);
-- name: bit_input_bad_hex
-- error: 22P02
SELECT 'xG'::bit(4);
-- name: bit_length_mismatch
SELECT '101'::bit(4);
-- name: bit_default_length
SELECT '101'::bit;
-- name: varbit_too_long
SELECT '10101'::varbit(4);
-- name: bit_cast_pad_truncate
SELECT B'101'::bit(5), B'10101'::bit(3), B'101'::varbit(2), B'1'::varbit(8), B'1010'::bit varying::bit(2);
-- name: bit_ops
SELECT id, flags & B'11110000', flags | B'00000011', flags # B'11111111', ~flags, flags << 3, flags >> 2, flags << -1 FROM nets ORDER BY id;
-- name: bit_concat
SELECT id, flags || vb, vb || B'1', pg_typeof(flags || vb) FROM nets ORDER BY id;
-- name: bit_and_sizes
-- error: 22026
SELECT B'101' & B'10';
-- name: bit_or_sizes
-- error: 22026
SELECT B'101' | B'1';
-- name: bit_xor_sizes
-- error: 22026
SELECT B'101' # B'1101';
-- name: bit_functions
SELECT id, length(vb), bit_length(vb), octet_length(vb), bit_count(vb), length(flags), octet_length(flags), bit_count(flags) FROM nets ORDER BY id;
-- name: bit_position
SELECT id, position(B'1' IN flags), position(B'0101' IN flags), position(B'' IN vb), position(vb IN flags) FROM nets ORDER BY id;
-- name: bit_substring
SELECT id, substring(flags FROM 3), substring(flags FROM 2 FOR 3), substring(flags FROM -1 FOR 3), substring(vb FROM 5 FOR 2), substring(flags FROM 8 FOR 100) FROM nets ORDER BY id;
-- name: bit_substring_negative
-- error: 22011
SELECT substring(B'1010' FROM 1 FOR -1);
-- name: bit_overlay
SELECT overlay(B'11110000' PLACING B'01' FROM 3), overlay(B'11110000' PLACING B'0' FROM 1 FOR 4), overlay(B'1111' PLACING B'000' FROM 3 FOR 0);
-- name: bit_get_set
SELECT id, get_bit(flags, 0), get_bit(flags, 7), set_bit(flags, 0, 0), set_bit(flags, 7, 1) FROM nets WHERE flags IS NOT NULL ORDER BY id;
-- name: bit_get_out_of_range
-- error: 2202E
SELECT get_bit(B'101', 3);
-- name: bit_set_bad_value
-- error: 22023
SELECT set_bit(B'101', 0, 2);
-- name: bit_int_casts
SELECT 5::bit(4), 5::bit(40), (-5)::bit(4), (-1)::bit(36), 5::bit, 5::int8::bit(70), B'101'::int, X'FF'::bit(8)::int, B'11111111111111111111111111111111'::int4, X'FFFFFFFFFFFFFFFF'::bit(64)::int8, B''::int;
-- name: bit_to_int_overflow
-- error: 22003
SELECT X'FFFFFFFFF'::bit(36)::int4;
-- name: bit_to_int8_overflow
-- error: 22003
SELECT (X'FFFFFFFFFFFFFFFFF')::bit(68)::int8;
-- name: bit_column_to_int
SELECT id, flags::int4, flags::int8, vb::bit(4), vb::bit(4)::int FROM nets ORDER BY id;
-- name: bit_compare
SELECT a.id, b.id, a.flags < b.flags, a.flags = b.flags, a.vb > b.vb, a.vb <= b.vb FROM nets a, nets b WHERE a.id IN (1, 2, 3) AND b.id IN (1, 5, 8) ORDER BY a.id, b.id;
-- name: bit_compare_lengths
SELECT B'1' < B'10', B'01' < B'1', B'10' < B'1000000', B'' < B'0', B'1'::varbit = B'1'::bit, B'0' = B'00', bitcmp(B'1', B'10'), varbitcmp(B'11', B'1');
-- name: bit_order
SELECT id, vb FROM nets ORDER BY vb NULLS FIRST, id;
-- name: bit_order_flags_desc
SELECT id, flags FROM nets ORDER BY flags DESC, id;
-- name: bit_min_max
-- error: 42883
SELECT min(flags), max(flags), min(vb), max(vb) FROM nets;
-- name: bit_group_distinct
SELECT flags, count(*) FROM nets GROUP BY flags ORDER BY flags NULLS LAST;
-- name: bit_distinct
SELECT DISTINCT vb FROM nets ORDER BY vb NULLS LAST;
-- name: bit_aggregates
SELECT bit_and(flags), bit_or(flags), bit_xor(flags) FROM nets;
-- name: bit_aggregates_sizes
-- error: 22026
SELECT bit_or(vb) FROM nets;
-- name: bit_int_aggregates
SELECT bit_and(i4), bit_or(i4), bit_xor(i4), bit_xor(i2), bit_xor(i8) FROM numbers;
-- name: bit_xor_grouped
SELECT grp, bit_xor(g), bit_and(g), bit_or(g) FROM series GROUP BY grp ORDER BY grp;
-- name: bit_typeof
SELECT pg_typeof(B'1'), pg_typeof(B'1' & B'1'), pg_typeof(B'1' || B'1'), pg_typeof(substring(B'101' FROM 2)), pg_typeof('1'::varbit & '1'::varbit), pg_typeof(bit_count(B'1'));
-- name: bit_text_casts
SELECT id, flags::text, vb::varchar, flags::text::bit(8), vb::text::varbit FROM nets ORDER BY id;
-- name: bit_text_to_bit_length
SELECT '101'::text::bit(5), '101'::text::varbit(2);
-- name: timetz_columns
SELECT id, tz FROM nets ORDER BY id;
-- name: timetz_literals
SELECT TIMETZ '10:00-03', '10:00:00.123456+05:30'::timetz, '23:59:59.9999999+00'::timetz, '24:00:00+15:59'::timetz, 'allballs'::timetz, '10:00 PST'::timetz, '10:00 +0100'::timetz, '04:05:06 PM+02'::timetz, '2024-07-01 10:00 America/New_York'::timetz;
-- name: timetz_zone_bad
-- error: 22009
SELECT '10:00+16'::timetz;
-- name: timetz_bad_syntax
-- error: 22007
SELECT '10:00 nonsense'::timetz;
-- name: timetz_named_zone_needs_date
-- error: 22007
SELECT '10:00 America/New_York'::timetz;
-- name: timetz_bad_hour
-- error: 22008
SELECT '24:00:01+00'::timetz;
-- name: timetz_precision
SELECT '10:00:00.123456+02'::timetz(2), '23:59:59.999999+00'::timetz(0), CAST(tz AS timetz(1)) FROM nets WHERE id = 2;
-- name: timetz_extract
SELECT id, extract(hour FROM tz), extract(minute FROM tz), extract(second FROM tz), extract(millisecond FROM tz), extract(microsecond FROM tz), extract(timezone FROM tz), extract(timezone_hour FROM tz), extract(timezone_minute FROM tz), extract(epoch FROM tz) FROM nets ORDER BY id;
-- name: timetz_date_part
SELECT id, date_part('hour', tz), date_part('second', tz), date_part('timezone', tz), date_part('epoch', tz), date_part('timezone_minute', tz) FROM nets ORDER BY id;
-- name: timetz_extract_day
-- error: 0A000
SELECT extract(day FROM TIMETZ '10:00+00');
-- name: timetz_extract_bogus
-- error: 22023
SELECT extract(fortnight FROM TIMETZ '10:00+00');
-- name: timetz_plus_interval
SELECT id, tz + interval '1 hour', tz - interval '90 minutes', interval '1 day 3 hours' + tz, tz + interval '-25 hours' FROM nets ORDER BY id;
-- name: timetz_at_time_zone
SELECT id, tz AT TIME ZONE 'UTC', tz AT TIME ZONE '+05', tz AT TIME ZONE 'Asia/Kolkata', tz AT TIME ZONE interval '-03:30' FROM nets ORDER BY id;
-- name: timetz_at_time_zone_bad
-- error: 22023
SELECT TIMETZ '10:00+00' AT TIME ZONE 'Mars/Olympus';
-- name: timetz_at_interval_days
-- error: 22023
SELECT TIMETZ '10:00+00' AT TIME ZONE interval '1 day';
-- name: timetz_compare
SELECT a.id, b.id, a.tz < b.tz, a.tz = b.tz, a.tz > b.tz, a.tz <= b.tz FROM nets a, nets b WHERE a.id IN (1, 7, 8, 9) AND b.id IN (5, 7, 8, 10) ORDER BY a.id, b.id;
-- name: timetz_equal_instants
SELECT TIMETZ '12:00+00' = TIMETZ '11:00-01', TIMETZ '12:00+00' < TIMETZ '11:00-01', TIMETZ '12:00+00' > TIMETZ '13:00+01', timetz_cmp('12:00+00', '13:00+01');
-- name: timetz_order
SELECT id, tz FROM nets ORDER BY tz NULLS FIRST, id;
-- name: timetz_order_desc
SELECT id, tz FROM nets ORDER BY tz DESC NULLS LAST, id;
-- name: timetz_min_max
SELECT min(tz), max(tz) FROM nets;
-- name: timetz_group_distinct
SELECT tz, count(*) FROM nets GROUP BY tz ORDER BY tz NULLS FIRST;
-- name: timetz_distinct
SELECT DISTINCT tz FROM nets ORDER BY tz NULLS LAST;
-- name: timetz_to_time
SELECT id, tz::time, tz::text, tz::varchar FROM nets ORDER BY id;
-- name: timetz_date_plus
SELECT id, DATE '2024-03-10' + tz, tz + DATE '2000-01-01', d + TIMETZ '10:00+02' FROM nets, (SELECT DATE '1999-12-31' AS d) x WHERE id <> 6 ORDER BY id;
-- name: timetz_date_plus_infinity
SELECT DATE 'infinity' + TIMETZ '10:00+02', DATE '-infinity' + TIMETZ '10:00+02';
-- name: timetz_typeof
SELECT pg_typeof(TIMETZ '10:00+00' + interval '1 h'), pg_typeof(DATE '2024-01-01' + TIMETZ '10:00+00'), pg_typeof(TIMETZ '10:00+00' AT TIME ZONE 'UTC'), pg_typeof(extract(hour FROM TIMETZ '10:00+00')), pg_typeof(min(tz)) FROM nets;
-- name: temporal_timetz_column
SELECT id, ttz, ttz::time, ttz + interval '30 minutes', extract(timezone FROM ttz) FROM temporal ORDER BY id;
-- name: temporal_timetz_order
SELECT id, ttz FROM temporal ORDER BY ttz NULLS FIRST, id;
-- name: temporal_timetz_min_max
SELECT min(ttz), max(ttz), min(t), max(t) FROM temporal;
-- name: time_min_max
SELECT min(t), max(t) FROM nets;
-- name: time_min_max_grouped
SELECT id % 2, min(t), max(t) FROM nets GROUP BY id % 2 ORDER BY 1;
-- name: interval_to_time
SELECT interval '25:30:00'::time, interval '-1 hour'::time, interval '1 day 02:00'::time, interval '1 mon 00:00:01.5'::time, interval '-48:00:00.000001'::time;
-- name: interval_column_to_time
SELECT id, iv::time FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: date_plus_time
SELECT DATE '2024-01-01' + TIME '12:30', TIME '23:59:59' + DATE '1999-12-31', DATE 'infinity' + TIME '01:00';
-- setup: SET TimeZone = 'Asia/Kolkata'
-- name: kolkata_time_to_timetz
SELECT TIME '10:00'::timetz, '10:00'::timetz, t::timetz FROM nets WHERE id = 1;
-- name: kolkata_tstz_to_timetz
SELECT id, tstz::timetz FROM temporal WHERE id NOT IN (11, 12, 13, 16) ORDER BY id;
-- name: kolkata_timetz_at_local
SELECT id, tz AT TIME ZONE 'America/Sao_Paulo', tz AT TIME ZONE 'Australia/Lord_Howe' FROM nets ORDER BY id;
-- name: kolkata_timetz_extract
SELECT extract(timezone FROM '10:00'::timetz), extract(timezone_hour FROM '10:00'::timetz);
-- setup: SET TimeZone = 'America/New_York'
-- name: ny_timetz_date_input
SELECT '2024-07-01 10:00'::timetz, '2024-01-01 10:00'::timetz, '2024-03-10 02:30'::timetz, '2024-11-03 01:30'::timetz;
-- name: ny_tstz_to_timetz
SELECT id, tstz::timetz, tstz::time FROM temporal WHERE id NOT IN (11, 12, 13, 16) ORDER BY id;
-- name: ny_timetz_abbrev_input
SELECT '10:00 EST'::timetz, '10:00 EDT'::timetz, '2024-07-01 10:00 EST'::timetz;
-- setup: SET TimeZone = '-03:30'
-- name: fixed_zone_timetz
SELECT '10:00'::timetz, TIME '10:00'::timetz, TIMESTAMPTZ '2024-06-01 10:00+00'::timetz, CURRENT_TIME::time IS NOT NULL;
-- setup: SET TimeZone = 'UTC'
-- name: utc_current_time_type
SELECT pg_typeof(CURRENT_TIME), pg_typeof(CURRENT_TIME(2)), extract(timezone FROM CURRENT_TIME);
-- setup: reset
-- name: nets_all_columns
SELECT * FROM nets ORDER BY id;
-- name: nets_self_join_inet
SELECT a.id, b.id FROM nets a JOIN nets b ON a.ip = b.ip AND a.id < b.id ORDER BY 1, 2;
-- name: nets_join_timetz
SELECT a.id, b.id FROM nets a JOIN nets b ON a.tz = b.tz AND a.id < b.id ORDER BY 1, 2;
-- name: nets_union_inet
SELECT ip FROM nets WHERE id < 4 UNION SELECT net FROM nets WHERE id < 4 ORDER BY 1;
-- name: nets_window_money
SELECT id, amt, sum(amt) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM nets WHERE id IN (1, 2, 3, 7, 8, 9, 10) ORDER BY id;
-- name: nets_array_agg
SELECT array_agg(ip ORDER BY id), array_agg(amt ORDER BY id), array_agg(tz ORDER BY id) FROM nets WHERE id < 4;
-- name: nets_string_agg_text
SELECT string_agg(ip::text, ',' ORDER BY ip), string_agg(flags::text, ',' ORDER BY flags) FROM nets;
