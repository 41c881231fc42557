namespace SkRerank.Movies;

/// <summary>The movie dataset could not be found or read; the message says which file and which record.</summary>
public sealed class MovieDatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MovieDatasetException(string message, Exception? innerException = null) : base(message, innerException) { }
}
