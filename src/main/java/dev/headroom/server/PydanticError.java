package dev.headroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One pydantic v2 error as FastAPI hands it to vLLM ({@code exc.errors(include_url=False)} with {@code 'body'}
 * prefixed to {@code loc}), printed as Python prints the dict: {@code {'type': ..., 'loc': (...), 'msg': ...,
 * 'input': ..., 'ctx': {...}}}.
 *
 * @param type  pydantic's error type, e.g. {@code int_parsing}
 * @param loc   the location under {@code 'body'}: field names (String) and list indexes (Integer)
 * @param msg   pydantic's message
 * @param input the offending value
 * @param ctx   the repr of the {@code ctx} dict, or null when the error type has none
 */
record PydanticError(String type, List<Object> loc, String msg, JsonNode input, String ctx) {

    /** vLLM's message for a request that fails validation: {@code str(exc)} of the RequestValidationError. */
    static String message(List<PydanticError> errors) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) out.append(", ");
            errors.get(i).append(out);
        }
        return out.append(']').toString();
    }

    private void append(StringBuilder out) {
        out.append("{'type': ").append(PyRepr.str(type)).append(", 'loc': ('body',");
        for (int i = 0; i < loc.size(); i++) {
            out.append(i == 0 ? " " : ", ");
            Object part = loc.get(i);
            out.append(part instanceof String s ? PyRepr.str(s) : part.toString());
        }
        out.append("), 'msg': ").append(PyRepr.str(msg)).append(", 'input': ");
        PyRepr.append(out, input);
        if (ctx != null) out.append(", 'ctx': ").append(ctx);
        out.append('}');
    }
}
