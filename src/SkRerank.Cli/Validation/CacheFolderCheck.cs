using SkRerank.Cli.Composition;

namespace SkRerank.Cli.Validation;

/// <summary>
/// Checks the cache folder before anything is written to it. A path through a file is a mistake and an error; a
/// folder that exists but cannot be written (read-only mount, no permission) is not: the run works from memory and says so.
/// </summary>
internal static class CacheFolderCheck
{
    /// <summary>Returns a warning when the folder cannot be written, <see langword="null"/> when it can.</summary>
    /// <exception cref="CliException">The path, or a folder on it, is a file.</exception>
    public static string? Check(string folder)
    {
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new CliException(existing == folder
                    ? $"The cache folder {folder} is a file; pass a folder to --cache-dir (or SKRERANK_CACHE_DIR)."
                    : $"The cache folder {folder} cannot be created: {existing} is a file.");
            var parent = Path.GetDirectoryName(existing);
            if (string.IsNullOrEmpty(parent)) return null;
            existing = parent;
        }

        // Probe the nearest existing folder with a file that deletes itself, so a check leaves nothing behind.
        try
        {
            using (new FileStream(Path.Combine(existing, $".skrerank-probe-{Environment.ProcessId}"), FileMode.CreateNew, FileAccess.Write,
                       FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"warning: the cache folder {folder} cannot be written ({ex.Message.TrimEnd('.', ' ')}); this run keeps models and vectors in memory and the next run starts over.";
        }
    }
}
