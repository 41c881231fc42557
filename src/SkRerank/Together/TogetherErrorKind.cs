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
