//! SDK errors → short messages naming the operation and the service's error code. They
//! never contain a request's content, so no secret value can leak through them.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// Every AWS SDK crate re-exports the same `SdkError` and `HttpResponse` types.
pub(crate) type Error<E> = SdkError<E, HttpResponse>;

/// The service's error code (e.g. `ConditionalCheckFailedException`), if the service answered.
pub(crate) fn code<E: ProvideErrorMetadata>(err: &Error<E>) -> Option<&str> {
    match err {
        SdkError::ServiceError(ctx) => ctx.err().code(),
        _ => None,
    }
}

/// Whether a later attempt may succeed: throttling, server errors, timeouts, transport.
pub(crate) fn is_transient<E: ProvideErrorMetadata>(err: &Error<E>) -> bool {
    match err {
        SdkError::ServiceError(ctx) => {
            ctx.raw().status().is_server_error()
                || matches!(
                    ctx.err().code(),
                    Some(
                        "ThrottlingException"
                            | "Throttling"
                            | "TooManyRequestsException"
                            | "ProvisionedThroughputExceededException"
                            | "RequestLimitExceeded"
                            | "LimitExceededException"
                    )
                )
        }
        SdkError::ConstructionFailure(_) => false,
        _ => true,
    }
}

/// `"{operation}: {code}: {message}"` for a service answer, or what went wrong on the way.
pub(crate) fn describe<E>(operation: &str, err: &Error<E>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(ctx) => match ctx.err().code() {
            Some(code) => format!("{operation}: {code}: {}", ctx.err().message().unwrap_or("no message")),
            None => format!("{operation}: HTTP {} without an error code", ctx.raw().status().as_u16()),
        },
        SdkError::TimeoutError(_) => format!("{operation}: timed out"),
        SdkError::DispatchFailure(_) => {
            format!("{operation}: could not reach the service: {}", DisplayErrorContext(err))
        }
        SdkError::ResponseError(_) => format!("{operation}: the service's answer could not be read"),
        _ => format!("{operation}: {}", DisplayErrorContext(err)),
    }
}
