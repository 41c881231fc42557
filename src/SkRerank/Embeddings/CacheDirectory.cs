namespace SkRerank.Embeddings;

/// <summary>Resolves the folder that holds SkRerank's caches.</summary>
public static class CacheDirectory
{
    /// <summary>The environment variable that overrides the default folder.</summary>
    public const string EnvironmentVariable = "SKRERANK_CACHE_DIR";

    /// <summary>
    /// <paramref name="explicitPath"/> when given (<c>--cache-dir</c>), else <c>SKRERANK_CACHE_DIR</c>, else the user's
    /// cache folder: <c>$XDG_CACHE_HOME/skrerank</c> or <c>~/.cache/skrerank</c> on Unix, <c>%LOCALAPPDATA%\SkRerank\Cache</c> on Windows.
    /// </summary>
    public static string Resolve(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return Path.GetFullPath(explicitPath);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "SkRerank", "Cache");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "skrerank");
    }
}
