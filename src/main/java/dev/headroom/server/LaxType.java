package dev.headroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A field type as pydantic v2 validates it in lax mode on the Python value {@code json.loads} made of the body
 * (FastAPI calls {@code TypeAdapter.validate_python}). Coercion rules and messages are pydantic-core's
 * ({@code src/input/shared.rs str_as_bool, str_as_int, str_as_float, float_as_int}; {@code src/errors/types.rs}).
 * {@link #validate} returns the coerced value (String, BigInteger, Double, Boolean, List, Map, JsonNode for
 * {@code Any}, null for None) or {@link #INVALID} after adding its errors.
 */
sealed interface LaxType {

    /** The result of a value that did not validate. */
    Object INVALID = new Object();

    /** Validates {@code value} at {@code loc}; {@code strict} is the first pass of a smart union. */
    Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict);

    LaxType STR = new Str();
    LaxType BOOL = new Bool();
    LaxType FLOAT = new Flt();
    LaxType INT = new Int(null, null);
    LaxType ANY = new AnyValue();

    static LaxType optional(LaxType inner) {
        return new Nullable(inner);
    }

    static List<Object> at(List<Object> loc, Object part) {
        List<Object> out = new ArrayList<>(loc.size() + 1);
        out.addAll(loc);
        out.add(part);
        return out;
    }

    private static Object fail(List<PydanticError> errors, String type, List<Object> loc, String msg, JsonNode input) {
        errors.add(new PydanticError(type, loc, msg, input, null));
        return INVALID;
    }

    /** {@code str}: only strings; numbers are not turned into text. */
    record Str() implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            return value.isTextual() ? value.textValue()
                    : fail(errors, "string_type", loc, "Input should be a valid string", value);
        }
    }

    /** {@code bool}: also 0/1 and the strings of pydantic-core's {@code str_as_bool}, any case. */
    record Bool() implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            if (value.isBoolean()) return value.booleanValue();
            if (strict || !(value.isTextual() || value.isNumber())) {
                return fail(errors, "bool_type", loc, "Input should be a valid boolean", value);
            }
            if (value.isTextual()) {
                String s = value.textValue();
                if (s.equals("0") || oneOf(s, "f", "n", "no", "off", "false")) return false;
                if (s.equals("1") || oneOf(s, "t", "y", "on", "yes", "true")) return true;
            } else if (value.isIntegralNumber() || Double.isFinite(value.doubleValue())) {
                double d = value.doubleValue();
                if (d == 0) return false;
                if (d == 1) return true;
            }
            return fail(errors, "bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value);
        }

        private static boolean oneOf(String s, String... words) {
            for (String w : words) if (s.equalsIgnoreCase(w)) return true;
            return false;
        }
    }

    /** {@code int} with optional {@code ge}/{@code le}: also bools, whole floats and integer strings. */
    record Int(BigInteger ge, BigInteger le) implements LaxType {
        private static final Pattern JSON_INT = Pattern.compile("-?(0|[1-9][0-9]*)");
        private static final double I64_MIN = Long.MIN_VALUE;
        private static final double I64_MAX = Long.MAX_VALUE;

        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            BigInteger n;
            if (value.isIntegralNumber()) {
                n = value.bigIntegerValue();
            } else if (strict || !(value.isBoolean() || value.isNumber() || value.isTextual())) {
                return fail(errors, "int_type", loc, "Input should be a valid integer", value);
            } else if (value.isBoolean()) {
                n = value.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
            } else if (value.isNumber()) {
                double d = value.doubleValue();
                if (!Double.isFinite(d)) return fail(errors, "finite_number", loc, "Input should be a finite number", value);
                if (d % 1 != 0) {
                    return fail(errors, "int_from_float", loc,
                            "Input should be a valid integer, got a number with a fractional part", value);
                }
                if (!(I64_MIN < d && d < I64_MAX)) {
                    return fail(errors, "int_parsing_size", loc,
                            "Unable to parse input string as an integer, exceeded maximum size", value);
                }
                n = BigInteger.valueOf((long) d);
            } else {
                n = parse(value.textValue());
                if (n == null) {
                    return fail(errors, "int_parsing", loc,
                            "Input should be a valid integer, unable to parse string as an integer", value);
                }
            }
            return bounded(n, value, loc, errors);
        }

        private Object bounded(BigInteger n, JsonNode value, List<Object> loc, List<PydanticError> errors) {
            if (ge != null && n.compareTo(ge) < 0) {
                errors.add(new PydanticError("greater_than_equal", loc, "Input should be greater than or equal to " + ge,
                        value, "{'ge': " + ge + "}"));
                return INVALID;
            }
            if (le != null && n.compareTo(le) > 0) {
                errors.add(new PydanticError("less_than_equal", loc, "Input should be less than or equal to " + le,
                        value, "{'le': " + le + "}"));
                return INVALID;
            }
            return n;
        }

        /** pydantic-core's {@code str_as_int}: a JSON integer, else trimmed, leading zeros, {@code .0+} and underscores removed. */
        static BigInteger parse(String s) {
            if (JSON_INT.matcher(s).matches()) return new BigInteger(s);
            String t = s.strip().replaceFirst("^0+", "");
            int dot = t.indexOf('.');
            if (dot >= 0 && dot + 1 < t.length() && t.substring(dot + 1).chars().allMatch(c -> c == '0')) {
                t = t.substring(0, dot);
            }
            String cleaned = withoutUnderscores(t);
            if (cleaned == null) {
                if (t.length() == s.length()) return null;
                cleaned = t;
            }
            return JSON_INT.matcher(cleaned).matches() ? new BigInteger(cleaned) : null;
        }
    }

    /** pydantic-core's {@code strip_underscores}: single underscores between digits only, as Python's int() allows. */
    static String withoutUnderscores(String s) {
        if (s.startsWith("_") || s.endsWith("_") || !s.contains("_") || s.contains("__")) return null;
        return s.replace("_", "");
    }

    /** {@code float}: also ints, bools and number strings (Rust's f64 grammar: inf, nan, 1e5, .5). */
    record Flt() implements LaxType {
        private static final Pattern RUST_F64 = Pattern.compile(
                "[+-]?((inf|infinity|nan)|([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?)", Pattern.CASE_INSENSITIVE);

        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            if (value.isNumber()) return value.doubleValue();
            if (strict || !(value.isBoolean() || value.isTextual())) {
                return fail(errors, "float_type", loc, "Input should be a valid number", value);
            }
            if (value.isBoolean()) return value.booleanValue() ? 1.0 : 0.0;
            Double d = parse(value.textValue().strip());
            if (d == null) {
                String stripped = withoutUnderscores(value.textValue());
                d = stripped == null ? null : parse(stripped);
            }
            return d != null ? d : fail(errors, "float_parsing", loc,
                    "Input should be a valid number, unable to parse string as a number", value);
        }

        private static Double parse(String s) {
            if (!RUST_F64.matcher(s).matches()) return null;
            String lower = s.toLowerCase(java.util.Locale.ROOT);
            boolean negative = lower.startsWith("-");
            if (lower.endsWith("inf") || lower.endsWith("infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (lower.endsWith("nan")) return Double.NaN;
            return Double.parseDouble(s);
        }
    }

    /** {@code list[item]}: only lists (a string is not a list of characters). */
    record ListOf(LaxType item) implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            if (!value.isArray()) return fail(errors, "list_type", loc, "Input should be a valid list", value);
            List<Object> out = new ArrayList<>(value.size());
            boolean ok = true;
            for (int i = 0; i < value.size(); i++) {
                Object v = item.validate(value.get(i), at(loc, i), errors, strict);
                ok &= v != INVALID;
                out.add(v);
            }
            return ok ? out : INVALID;
        }
    }

    /** {@code dict[str, value]}. */
    record DictOf(LaxType value) implements LaxType {
        @Override
        public Object validate(JsonNode node, List<Object> loc, List<PydanticError> errors, boolean strict) {
            if (!node.isObject()) return fail(errors, "dict_type", loc, "Input should be a valid dictionary", node);
            Map<String, Object> out = new LinkedHashMap<>();
            boolean ok = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Object v = value.validate(e.getValue(), at(loc, e.getKey()), errors, strict);
                ok &= v != INVALID;
                out.put(e.getKey(), v);
            }
            return ok ? out : INVALID;
        }
    }

    /** {@code Any}, and the fields the simulator does not check (tools, guided decoding, response_format). */
    record AnyValue() implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            return value;
        }
    }

    /** {@code Optional[inner]}: None, else {@code inner} (pydantic's nullable schema: no union labels). */
    record Nullable(LaxType inner) implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            return value.isNull() ? null : inner.validate(value, loc, errors, strict);
        }
    }

    /**
     * {@code Union[...]} in smart mode: an exact (strict) match first, else the first lax match; when none
     * matches, every member's errors, each under the member's label in {@code loc}.
     */
    record Union(List<String> labels, List<LaxType> members) implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            for (LaxType member : members) {
                Object v = member.validate(value, loc, new ArrayList<>(), true);
                if (v != INVALID) return v;
            }
            if (strict) return INVALID;
            List<PydanticError> all = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                List<PydanticError> mine = new ArrayList<>();
                Object v = members.get(i).validate(value, at(loc, labels.get(i)), mine, false);
                if (v != INVALID) return v;
                all.addAll(mine);
            }
            errors.addAll(all);
            return INVALID;
        }
    }

    /** A nested pydantic model with optional fields only (vLLM's {@code StreamOptions}); extra keys allowed. */
    record Model(String className, Map<String, LaxType> fields) implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            if (!value.isObject()) {
                errors.add(new PydanticError("model_type", loc, "Input should be a valid dictionary or instance of "
                        + className, value, "{'class_name': " + PyRepr.str(className) + "}"));
                return INVALID;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            boolean ok = true;
            for (Map.Entry<String, LaxType> f : fields.entrySet()) {
                if (!value.has(f.getKey())) continue;
                Object v = f.getValue().validate(value.get(f.getKey()), at(loc, f.getKey()), errors, strict);
                ok &= v != INVALID;
                out.put(f.getKey(), v);
            }
            return ok ? out : INVALID;
        }
    }

    /**
     * One element of {@code messages}, checked loosely: vLLM validates it against a union of eight message
     * TypedDicts and reports every member's errors; the simulator checks what its template needs (an object with
     * a string {@code role}; {@code content} absent, None, a string or a list of part objects) and reports one
     * error at the first problem, in pydantic's wording but without the union's member labels.
     */
    record ChatMessageParam() implements LaxType {
        @Override
        public Object validate(JsonNode value, List<Object> loc, List<PydanticError> errors, boolean strict) {
            if (!value.isObject()) return fail(errors, "dict_type", loc, "Input should be a valid dictionary", value);
            JsonNode role = value.get("role");
            if (role == null) return fail(errors, "missing", at(loc, "role"), "Field required", value);
            if (!role.isTextual()) return fail(errors, "string_type", at(loc, "role"), "Input should be a valid string", role);
            JsonNode content = value.path("content");
            if (content.isMissingNode() || content.isNull() || content.isTextual()) return value;
            if (!content.isArray()) {
                return fail(errors, "string_type", at(loc, "content"), "Input should be a valid string", content);
            }
            for (int i = 0; i < content.size(); i++) {
                if (!content.get(i).isObject() && !content.get(i).isTextual()) {
                    return fail(errors, "dict_type", at(at(loc, "content"), i), "Input should be a valid dictionary",
                            content.get(i));
                }
            }
            return value;
        }
    }
}
