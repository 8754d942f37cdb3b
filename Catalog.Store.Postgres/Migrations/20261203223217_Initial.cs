using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Catalog.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activity",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ObjectId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ObjectType = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ActivityType = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Data = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity", x => x.Seq);
                });

            migrationBuilder.CreateTable(
                name: "group",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Title = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ImageUrl = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Type = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    IsOrganization = table.Column<bool>(type: "boolean", nullable: false),
                    ApprovalStatus = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tag",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    VocabularyId = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tag", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "user",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Fullname = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Email = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    About = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ImageUrl = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    PasswordHash = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Sysadmin = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "group_extra",
                columns: table => new
                {
                    GroupId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group_extra", x => new { x.GroupId, x.Key });
                    table.ForeignKey(
                        name: "FK_group_extra_group_GroupId",
                        column: x => x.GroupId,
                        principalTable: "group",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "member",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    GroupId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    TableName = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    TableId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Capacity = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member", x => x.Id);
                    table.ForeignKey(
                        name: "FK_member_group_GroupId",
                        column: x => x.GroupId,
                        principalTable: "group",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "package",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Title = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Notes = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Author = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    AuthorEmail = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Maintainer = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    MaintainerEmail = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    LicenseId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Url = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Version = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Private = table.Column<bool>(type: "boolean", nullable: false),
                    Type = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    OwnerOrgId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CreatorUserId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    MetadataCreated = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    MetadataModified = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_package", x => x.Id);
                    table.ForeignKey(
                        name: "FK_package_group_OwnerOrgId",
                        column: x => x.OwnerOrgId,
                        principalTable: "group",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_token",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    UserId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    TokenHash = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastAccess = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_token", x => x.Id);
                    table.ForeignKey(
                        name: "FK_api_token_user_UserId",
                        column: x => x.UserId,
                        principalTable: "user",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "package_extra",
                columns: table => new
                {
                    PackageId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_package_extra", x => new { x.PackageId, x.Key });
                    table.ForeignKey(
                        name: "FK_package_extra_package_PackageId",
                        column: x => x.PackageId,
                        principalTable: "package",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "package_tag",
                columns: table => new
                {
                    PackageId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    TagId = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_package_tag", x => new { x.PackageId, x.TagId });
                    table.ForeignKey(
                        name: "FK_package_tag_package_PackageId",
                        column: x => x.PackageId,
                        principalTable: "package",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_package_tag_tag_TagId",
                        column: x => x.TagId,
                        principalTable: "tag",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resource",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    PackageId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Url = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    UrlType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Format = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Mimetype = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    MimetypeInner = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Size = table.Column<long>(type: "bigint", nullable: true),
                    Hash = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    BlobSha256 = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ResourceType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastModified = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    MetadataModified = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CacheUrl = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CacheLastUpdated = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DatastoreActive = table.Column<bool>(type: "boolean", nullable: false),
                    ExtrasJson = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource", x => x.Id);
                    table.ForeignKey(
                        name: "FK_resource_package_PackageId",
                        column: x => x.PackageId,
                        principalTable: "package",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_activity_Id",
                table: "activity",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_activity_ObjectId_Seq",
                table: "activity",
                columns: new[] { "ObjectId", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_api_token_TokenHash",
                table: "api_token",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_token_UserId",
                table: "api_token",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_group_Name",
                table: "group",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_member_GroupId_TableName_TableId",
                table: "member",
                columns: new[] { "GroupId", "TableName", "TableId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_member_TableName_TableId",
                table: "member",
                columns: new[] { "TableName", "TableId" });

            migrationBuilder.CreateIndex(
                name: "IX_package_MetadataModified",
                table: "package",
                column: "MetadataModified");

            migrationBuilder.CreateIndex(
                name: "IX_package_Name",
                table: "package",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_package_OwnerOrgId",
                table: "package",
                column: "OwnerOrgId");

            migrationBuilder.CreateIndex(
                name: "IX_package_tag_TagId",
                table: "package_tag",
                column: "TagId");

            migrationBuilder.CreateIndex(
                name: "IX_resource_PackageId",
                table: "resource",
                column: "PackageId");

            migrationBuilder.CreateIndex(
                name: "IX_tag_Name_VocabularyId",
                table: "tag",
                columns: new[] { "Name", "VocabularyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_user_Name",
                table: "user",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity");

            migrationBuilder.DropTable(
                name: "api_token");

            migrationBuilder.DropTable(
                name: "group_extra");

            migrationBuilder.DropTable(
                name: "member");

            migrationBuilder.DropTable(
                name: "package_extra");

            migrationBuilder.DropTable(
                name: "package_tag");

            migrationBuilder.DropTable(
                name: "resource");

            migrationBuilder.DropTable(
                name: "user");

            migrationBuilder.DropTable(
                name: "tag");

            migrationBuilder.DropTable(
                name: "package");

            migrationBuilder.DropTable(
                name: "group");
        }
    }
}
