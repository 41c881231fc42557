namespace SkRerank.Together;

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
