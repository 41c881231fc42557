namespace SkRerank.Search;

/// <summary>
/// A search argument a person or a model got wrong (empty query, top_n out of range, unknown genre or director…).
/// <see cref="ArgumentException.ParamName"/> still names the argument for code, but <see cref="Message"/> is the
/// reason alone, without .NET's "(Parameter 'x')" suffix, because it is shown to users and agents as is.
/// </summary>
public sealed class SearchArgumentException : ArgumentException
{
    private readonly string _reason;

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong and what to do instead, in one sentence or two.</param>
    /// <param name="paramName">The argument, e.g. "top_n".</param>
    public SearchArgumentException(string reason, string? paramName = null)
        : base(reason, paramName) => _reason = reason;

    /// <inheritdoc />
    public override string Message => _reason;
}
