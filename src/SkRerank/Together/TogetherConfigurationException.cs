namespace SkRerank.Together;

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
