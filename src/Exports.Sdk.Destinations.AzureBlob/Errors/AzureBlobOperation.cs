namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>A Blob service request the destination makes, with the permission it needs (for error messages).</summary>
/// <param name="Name">The request name, e.g. <c>Put Block</c>.</param>
/// <param name="Permission">The permission it needs: a SAS letter and the RBAC data action's short name.</param>
internal sealed record AzureBlobOperation(string Name, string Permission)
{
    public static readonly AzureBlobOperation PutBlock = new("Put Block", "write (SAS 'w'; RBAC blobs/write)");
    public static readonly AzureBlobOperation PutBlockList = new("Put Block List", "write (SAS 'w'; RBAC blobs/write)");
    public static readonly AzureBlobOperation PutBlob = new("Put Blob", "write (SAS 'w'; RBAC blobs/write)");
    public static readonly AzureBlobOperation CopyBlob = new("Copy Blob", "read and write (SAS 'rw'; RBAC blobs/read and blobs/write)");
    public static readonly AzureBlobOperation DeleteBlob = new("Delete Blob", "delete (SAS 'd'; RBAC blobs/delete)");
    public static readonly AzureBlobOperation ListBlobs = new("List Blobs", "list (SAS 'l'; RBAC blobs/read)");
}
