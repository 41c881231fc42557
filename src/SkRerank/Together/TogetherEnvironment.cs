namespace SkRerank.Together;

/// <summary>
/// Where <see cref="TogetherOptions"/> registered through DI take their fallbacks from: the API key
/// (<c>TOGETHER_API_KEY</c>), the base URL (<c>TOGETHER_BASE_URL</c>) and the rerank base URL
/// (<c>TOGETHER_RERANK_BASE_URL</c>), used only where the application left them unset.
/// <c>AddTogether(...)</c> registers <see cref="Process"/> unless the application registers its own, e.g.
/// <c>services.AddSingleton(new TogetherEnvironment(name =&gt; configuration[name]))</c> to read them from
/// <c>IConfiguration</c>, or <see cref="None"/> to turn the fallback off.
/// </summary>
public sealed class TogetherEnvironment
{
    private readonly Func<string, string?> _getVariable;

    /// <summary>Creates a source that reads variables with <paramref name="getVariable"/>.</summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    public TogetherEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        _getVariable = getVariable;
    }

    /// <summary>The process environment (the default).</summary>
    public static TogetherEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>No variables: options are exactly what the application configured.</summary>
    public static TogetherEnvironment None { get; } = new(_ => null);

    /// <summary>Reads one variable.</summary>
    /// <param name="name">The variable's name, e.g. <see cref="TogetherOptions.ApiKeyEnvironmentVariable"/>.</param>
    /// <returns>Its value, or <see langword="null"/> when it is not set.</returns>
    public string? GetVariable(string name) => _getVariable(name);
}
