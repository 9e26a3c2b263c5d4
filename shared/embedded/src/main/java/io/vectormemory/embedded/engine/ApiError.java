package io.vectormemory.embedded.engine;

import io.grpc.Status;

/**
 * An error with the gRPC status code and message Qdrant would send.
 *
 * <p>Message shapes follow Qdrant v1.16.0: {@code StorageError}'s Display prefixes
 * (lib/storage/src/content_manager/errors.rs) and its mapping to tonic codes
 * (lib/storage/src/content_manager/conversions.rs), plus the request validation messages of
 * src/tonic/api/mod.rs ({@code "Validation error in body: [field: message]"}).
 */
public final class ApiError extends RuntimeException {

    private final Status.Code code;

    private ApiError(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public Status toStatus() {
        return code.toStatus().withDescription(getMessage());
    }

    /** StorageError::BadInput: INVALID_ARGUMENT "Wrong input: ...". */
    public static ApiError badInput(String description) {
        return new ApiError(Status.Code.INVALID_ARGUMENT, "Wrong input: " + description);
    }

    /** StorageError::BadRequest: INVALID_ARGUMENT "Bad request: ...". */
    public static ApiError badRequest(String description) {
        return new ApiError(Status.Code.INVALID_ARGUMENT, "Bad request: " + description);
    }

    /** StorageError::AlreadyExists: ALREADY_EXISTS "Wrong input: ...". */
    public static ApiError alreadyExists(String description) {
        return new ApiError(Status.Code.ALREADY_EXISTS, "Wrong input: " + description);
    }

    /** StorageError::NotFound: NOT_FOUND "Not found: ...". */
    public static ApiError notFound(String description) {
        return new ApiError(Status.Code.NOT_FOUND, "Not found: " + description);
    }

    /** Request validation failure of one field. */
    public static ApiError validation(String field, String message) {
        return new ApiError(Status.Code.INVALID_ARGUMENT, "Validation error in body: [" + field + ": " + message + "]");
    }

    /** A plain INVALID_ARGUMENT raised during request conversion (tonic {@code Status::invalid_argument}). */
    public static ApiError invalidArgument(String message) {
        return new ApiError(Status.Code.INVALID_ARGUMENT, message);
    }

    /** A valid Qdrant request this embedded server does not implement. */
    public static ApiError unimplemented(String what) {
        return new ApiError(Status.Code.UNIMPLEMENTED, "Not supported by the embedded Qdrant server: " + what);
    }

    /** StorageError::ServiceError: INTERNAL "Service internal error: ...". */
    public static ApiError internal(String description) {
        return new ApiError(Status.Code.INTERNAL, "Service internal error: " + description);
    }
}
