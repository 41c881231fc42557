namespace SkRerank.Together;

/// <summary>What went wrong in a call to Together, as a user would put it.</summary>
public enum TogetherErrorKind
{
    /// <summary>The settings are incomplete or invalid (no request was sent).</summary>
    Configuration,
    /// <summary>The API key was rejected (HTTP 401) or lacks access (HTTP 403).</summary>
    Authentication,
    /// <summary>The model does not exist or is not available to this key or endpoint (404 <c>model_not_found</c>, 400 <c>model_not_available</c>).</summary>
    ModelNotFound,
    /// <summary>The service rejected the request (HTTP 400/422 and other 4xx); the message is the service's.</summary>
    InvalidRequest,
    /// <summary>Still rate limited (HTTP 429) after every retry.</summary>
    RateLimited,
    /// <summary>Still failing with 408 or 5xx after every retry.</summary>
    ServerError,
    /// <summary>No answer within the timeout, after every retry.</summary>
    Timeout,
    /// <summary>The endpoint could not be reached, or the resilience pipeline stopped calling it after repeated failures.</summary>
    Unavailable,
    /// <summary>The answer was not what the API documents: malformed JSON, wrong count, wrong dimension, index out of range.</summary>
    InvalidResponse,
}

/// <summary>
/// A failed call to Together (or a compatible endpoint). The message says what happened and what to do; it never
/// contains the API key.
/// </summary>
public class TogetherException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">A message for users.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public TogetherException(TogetherErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What went wrong.</summary>
    public TogetherErrorKind Kind { get; }

    /// <summary>The HTTP status of the last response, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The service's <c>error.code</c>, e.g. "model_not_found".</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The service's <c>error.type</c>, e.g. "invalid_request_error".</summary>
    public string? ErrorType { get; init; }

    /// <summary>The service's <c>error.param</c>: the request field it objected to.</summary>
    public string? Param { get; init; }

    /// <summary>The model the request named.</summary>
    public string? Model { get; init; }

    /// <summary>How many HTTP attempts were made (1 when nothing was retried; 0 when none was sent).</summary>
    public int Attempts { get; init; }
}

/// <summary>Together is not configured well enough to send a request, e.g. the API key is missing.</summary>
public sealed class TogetherConfigurationException : TogetherException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing or wrong, and how to fix it.</param>
    public TogetherConfigurationException(string message)
        : base(TogetherErrorKind.Configuration, message)
    {
    }
}
