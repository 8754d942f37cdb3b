namespace Catalog.Core.Files;

/// <summary>Told once a write that stored a resource's file has committed (the DataStore loads CSVs from it).</summary>
public interface IUploadListener
{
    void Uploaded(string resourceId);
}
